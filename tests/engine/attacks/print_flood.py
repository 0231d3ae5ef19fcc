# %% [markdown]
# Fault: a cell that prints without end (the grader keeps about 1 MB and interrupts it).

# %%
while True:
    print("x" * 1000)
