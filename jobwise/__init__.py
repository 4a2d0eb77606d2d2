"""JobWise: one master profile, tailored resumes and cover letters, a replayable history."""

__version__ = "0.1.0"
