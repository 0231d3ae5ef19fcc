# %% [markdown]
# Fault: an exercise whose function never returns when called (and ignores interrupts).

# %%
def normalize_rows(x):
    import signal
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        time.sleep(0.1)
