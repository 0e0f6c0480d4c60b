#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sys/wait.h>

namespace poisonlab::test {
namespace fs = std::filesystem;

fs::path testDataDir()
{
    return POISONLAB_TEST_DATA_DIR;
}

fs::path fixturesDir()
{
    std::error_code ec;
    const fs::path dir = fs::weakly_canonical(POISONLAB_FIXTURES_DIR, ec);
    if (ec || !fs::is_directory(dir, ec))
        return {};
    return dir;
}

bool runningInCi()
{
    const char *ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

TempDir::TempDir()
{
    std::random_device rd;
    m_path = fs::temp_directory_path() / ("poisonlab-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(m_path);
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(m_path, ec);
}

std::map<std::string, std::string> filesUnder(const fs::path &dir)
{
    std::map<std::string, std::string> files;
    if (!fs::exists(dir))
        return files;
    for (const auto &entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), dir).string()] = readFile(entry.path());
    return files;
}

void writeText(const fs::path &path, const std::string &text)
{
    if (path.has_parent_path())
        fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

int runCommand(const std::string &commandLine, std::string *output)
{
    const std::string full = commandLine + " 2>&1";
    FILE *pipe = ::popen(full.c_str(), "r");
    if (!pipe)
        return -1;
    std::array<char, 4096> buf{};
    std::string text;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
        text.append(buf.data(), n);
    const int status = ::pclose(pipe);
    if (output)
        *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path binary(const std::string &name)
{
    return fs::path(POISONLAB_BIN_DIR) / name;
}

} // namespace poisonlab::test

namespace poisonlab::test {

std::map<std::string, TestFactory> &testRegistry()
{
    static std::map<std::string, TestFactory> tests;
    return tests;
}

bool registerTest(const char *file, TestFactory factory)
{
    testRegistry()[fs::path(file).stem().string()] = factory;
    return true;
}

std::string errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

} // namespace poisonlab::test
