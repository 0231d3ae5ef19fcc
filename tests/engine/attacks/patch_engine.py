# %% [markdown]
# Attack: patch the check engine and NumPy so that nothing can fail: Check.fail does nothing,
# numpy.allclose and numpy.isclose always agree, CheckFailed is swallowed.

# %%
import numpy
from shared_utils.engine import checking

checking.Check.fail = lambda self, *a, **k: None
checking.Check.array = lambda self, got, *a, **k: got
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda *a, **k: numpy.array(True)
np.allclose = numpy.allclose
