"""After the commit: jobs, coalescing, card posts and updates, notices, the compile job."""
