# %% [markdown]
# Fault: a cell that ends the kernel's process; the exercises above it are still graded.

# %%
import os

os._exit(3)
