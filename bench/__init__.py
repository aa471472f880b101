"""The class-scale benchmark (`make bench`): see bench/README.md."""
