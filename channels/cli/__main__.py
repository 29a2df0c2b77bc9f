from channels.cli.main import main

main()
