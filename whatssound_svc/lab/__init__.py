"""The capacity lab: the simulator (real RPCs at the reference rates, `whatssound simulate`) and the
cost model (the month's bill from measured figures, `whatssound cost`). The service never imports it."""
