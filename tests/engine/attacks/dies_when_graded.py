# %% [markdown]
# Fault: an exercise whose function ends the kernel's process when called; the exercises after
# it are still graded on a restarted kernel.

# %%
def normalize_rows(x):
    import os

    os._exit(5)
