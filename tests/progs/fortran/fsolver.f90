! SPDX-License-Identifier: MIT
! A Fortran code marked with the scope_bpf module: fsolver N (a multiple of
! 3). Regions: solve once; inside it relax N times (in the module procedure
! solver::relax) and level_0, level_1, level_2 N / 3 times each, their names
! written into a character variable at run time.
module solver
  use scope_bpf
  implicit none
contains
  subroutine relax(x, n)
    integer, intent(in) :: n
    double precision, intent(inout) :: x(n)
    integer :: i
    call scope_bpf_begin("relax")
    do i = 2, n - 1
      x(i) = 0.5d0 * (x(i - 1) + x(i + 1))
    end do
    call scope_bpf_end("relax")
  end subroutine relax
end module solver

program fsolver
  use scope_bpf
  use solver
  implicit none
  integer :: n, i
  character(len=32) :: arg
  character(len=16) :: name
  double precision :: x(64)

  call get_command_argument(1, arg)
  read (arg, *) n
  x = 1.0d0
  x(1) = 0.0d0
  call scope_bpf_begin("solve")
  do i = 1, n
    call relax(x, size(x))
    write (name, '(a,i0)') 'level_', mod(i, 3)
    call scope_bpf_begin(name)
    x(2) = x(2) + 1.0d-9
    call scope_bpf_end(name)
  end do
  call scope_bpf_end("solve")
  print '(a,i0,a,f8.5)', 'fsolver: ', n, ' ', x(32)
end program fsolver
