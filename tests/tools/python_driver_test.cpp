// placeholder until the Python driver test lands

