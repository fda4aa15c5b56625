"""``python -m pipelineos.cli``, as the ``pipelineos`` entry point."""

from pipelineos.cli import main

main()
