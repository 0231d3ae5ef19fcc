# %% [markdown]
# Fault: a cell whose exception message is 20 MB long.

# %%
raise ValueError("y" * 20_000_000)
