# Type stub of the compiled kernel in _entities.pyx (see there for what it does).
from typing import Any

def read_line(line: str, rules: Any) -> Any: ...
