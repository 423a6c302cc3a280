"""Publishing: the build of editions, HTML pages, exports, parameters, packages for sending, the command
line. May import every other layer."""
