#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace poisonlab {

/// The one exception type core throws for bad input or failed work. The message is meant for a
/// person: it names the file (when there is one) and what is wrong with it.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string &message);
    Error(const std::filesystem::path &file, const std::string &problem);

    /// The file the problem is about; empty when the problem is not about a file.
    const std::filesystem::path &file() const noexcept { return m_file; }

private:
    std::filesystem::path m_file;
};

/// Thrown by long work that noticed ProgressReporter::wasCancelled(); what was saved stays valid.
class CancelledError : public std::runtime_error {
public:
    CancelledError();
};

} // namespace poisonlab
