"""The SoHoa domain: pure Python rules, no I/O beyond reading the shipped assets."""
