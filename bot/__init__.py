"""studybot: daily interview-prep study groups on Discord, Slack and a local console."""

__version__ = "0.1.0"
