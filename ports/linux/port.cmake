# The linux backend of the port facade (docs/porting.md): what it needs
# before the layers are configured, and what it builds on top of them.
set(MCUJS_PORT_APPS apps/cli receiver)   # the host CLI and the receiver service
set(MCUJS_PORT_TESTS tests tests/port)   # host tests (labels unit, js, tls, ...), the port suite
