# %% [markdown]
# Attack: kill the grader's process from the kernel (the kernel's parent).

# %%
import os
import signal

try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError as exc:
    print("refused:", exc)
