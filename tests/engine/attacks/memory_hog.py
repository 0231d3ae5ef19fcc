# %% [markdown]
# Fault: a cell that takes memory until it is stopped (the test sets a 1.5 GB limit).

# %%
_hog = []
while True:
    _hog.append(np.ones(2**24))
