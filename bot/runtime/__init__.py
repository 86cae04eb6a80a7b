"""Per request: the unit of work, middlewares, error replies, the ballot box."""
