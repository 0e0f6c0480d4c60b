#include "poisonlab/core/Version.h"

#include "poisonlab/core/BuildInfo.h"

#include <torch/version.h>
#include <torch/cuda.h>

namespace poisonlab {

std::string projectVersion()
{
    return POISONLAB_VERSION_STRING;
}

std::string torchVersion()
{
    return TORCH_VERSION;
}

std::string versionLine()
{
    std::string line = "PoisonLab " + projectVersion() + " (LibTorch " + torchVersion();
    line += torch::cuda::is_available() ? ", CUDA available)" : ", CPU)";
    return line;
}

} // namespace poisonlab
