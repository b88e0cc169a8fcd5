"""factory_boy factories for tests and for the demo content (`load_demo_data`)."""
