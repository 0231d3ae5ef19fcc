# %% [markdown]
# Fault: a cell that ignores interrupts and never ends.

# %%
import signal
import time

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(0.1)
