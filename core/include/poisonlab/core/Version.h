#pragma once

#include <string>

namespace poisonlab {

/// PoisonLab's version, e.g. "0.1.0".
std::string projectVersion();
/// The LibTorch version this build links, e.g. "1.13.1".
std::string torchVersion();
/// One line for --version: project, LibTorch, CUDA availability.
std::string versionLine();

} // namespace poisonlab
