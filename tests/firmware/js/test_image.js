// The entry module of the bundles that carry the C++ test images' inputs
// (tls_main.cpp, net_main.cpp: tests/firmware/test_bundle.h). A bundle needs
// one; those images have no JavaScript and never run it.
