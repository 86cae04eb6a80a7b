"""The app's pages for people in a browser (not for Slack): the plenary board."""
