from rolescope.cli import main

main()
