import sys

from stress.run import main

if __name__ == "__main__":
    sys.exit(main())
