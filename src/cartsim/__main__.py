from cartsim.cli.main import main

main()
