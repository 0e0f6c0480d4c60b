#include "poisonlab/core/Error.h"

namespace poisonlab {

Error::Error(const std::string &message) : std::runtime_error(message) {}

Error::Error(const std::filesystem::path &file, const std::string &problem)
    : std::runtime_error(file.string() + ": " + problem), m_file(file)
{
}

CancelledError::CancelledError() : std::runtime_error("cancelled") {}

} // namespace poisonlab
