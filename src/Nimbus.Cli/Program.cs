// Replaced by the CLI implementation.
return 0;
