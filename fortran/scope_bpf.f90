! SPDX-License-Identifier: MIT
! scope_bpf: region markers for Fortran, named by strings.
!
!     use scope_bpf
!     call scope_bpf_begin("solve")
!     call solve(grid)
!     call scope_bpf_end("solve")
!
! Each name is a region of scope-bpf, read by its probe at run time (names
! are cut at 63 characters; trailing blanks do not count). Link with the C
! side, libscope_bpf_fortran.a (-lscope_bpf_fortran): its two functions are
! the probe sites. Detached, a call costs a function call and a lookup of
! the name's copy (docs/fortran.md).
module scope_bpf
  use, intrinsic :: iso_c_binding, only: c_char, c_size_t
  implicit none
  private
  public :: scope_bpf_begin, scope_bpf_end

  interface
    subroutine c_begin(name, length) bind(C, name="scope_bpf_fortran_begin")
      import :: c_char, c_size_t
      character(kind=c_char), intent(in) :: name(*)
      integer(c_size_t), value :: length
    end subroutine c_begin

    subroutine c_end(name, length) bind(C, name="scope_bpf_fortran_end")
      import :: c_char, c_size_t
      character(kind=c_char), intent(in) :: name(*)
      integer(c_size_t), value :: length
    end subroutine c_end
  end interface

contains

  subroutine scope_bpf_begin(name)
    character(len=*), intent(in) :: name
    call c_begin(name, len(name, kind=c_size_t))
  end subroutine scope_bpf_begin

  subroutine scope_bpf_end(name)
    character(len=*), intent(in) :: name
    call c_end(name, len(name, kind=c_size_t))
  end subroutine scope_bpf_end

end module scope_bpf
