"""Theme and instrument classification: the taxonomy, the scikit-learn classifier, its training,
and the arrays runs predict with (``predictor``)."""
from pathlib import Path

DEFAULT_MODEL = Path(__file__).with_name("theme_model.skops")
"""The shipped theme model (trained for ``models/themes.toml``)."""
