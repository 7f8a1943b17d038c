"""Engines sequence the stages; `local` runs them in this process, `spark` on a cluster."""
