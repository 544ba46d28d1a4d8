"""``python -m graph.cli``: the dealgraph command without the installed script."""
from . import main

main(prog_name="dealgraph")
