"""Pure vision code: numpy arrays in, numpy arrays out.

Nothing here imports the web framework, the database or Celery; models are passed in by the caller
(see `app.vision.models` for the one place that loads weights).
"""
