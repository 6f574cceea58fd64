"""The final app's image, built and run for real: Docker, or any engine that speaks its CLI."""
