// Anchor translation unit: only here so CMake builds the shared precompiled header.
