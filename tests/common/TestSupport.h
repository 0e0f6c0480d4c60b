#pragma once

#include <QtTest/QtTest>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace poisonlab::test {

/// tests/data in the source tree (small golden files).
std::filesystem::path testDataDir();

/// ../shared/fixtures, or empty when absent. Use POISONLAB_REQUIRE_FIXTURES() in a test.
std::filesystem::path fixturesDir();

/// True when running under CI (CI=true), where a missing fixture is a failure, not a skip.
bool runningInCi();

/// A fresh, empty temporary folder removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return m_path; }
    std::filesystem::path operator/(const std::string &name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

/// Writes text to a file (creating folders); for tests that build small input files.
void writeText(const std::filesystem::path &path, const std::string &text);

/// Every regular file under `dir` (its path relative to `dir` -> its bytes); empty when `dir` does
/// not exist. For tests that check a command changed nothing, or only what it should.
std::map<std::string, std::string> filesUnder(const std::filesystem::path &dir);

/// Runs a command line (through /bin/sh), returning its exit code; stdout and stderr are
/// captured into `output` when given.
int runCommand(const std::string &commandLine, std::string *output = nullptr);

/// The message of the poisonlab::Error that `fn` throws, or an empty string when it throws none
/// (any other exception passes through and fails the test).
std::string errorOf(const std::function<void()> &fn);

/// Path of a built executable such as "poisonlab-cli".
std::filesystem::path binary(const std::string &name);

} // namespace poisonlab::test

/// Skips the test when the shared fixtures are absent, or fails it when CI=true.
#define POISONLAB_REQUIRE_FIXTURES()                                                                                   \
    do {                                                                                                               \
        if (::poisonlab::test::fixturesDir().empty()) {                                                                \
            if (::poisonlab::test::runningInCi())                                                                      \
                QFAIL("../shared/fixtures is missing and CI=true");                                                    \
            QSKIP("../shared/fixtures is absent; reference-data test skipped");                                        \
        }                                                                                                              \
    } while (0)

namespace poisonlab::test {

using TestFactory = QObject *(*)();
/// Registers a test class under its file's name (tst_foo.cpp -> "tst_foo").
bool registerTest(const char *file, TestFactory factory);

} // namespace poisonlab::test

/// Replaces QTEST_MAIN: registers the class with the label's runner (see tests/CMakeLists.txt).
#define POISONLAB_TEST_MAIN(ClassName)                                                                                 \
    namespace {                                                                                                        \
    const bool ClassName##_registered =                                                                                \
        ::poisonlab::test::registerTest(__FILE__, []() -> QObject * { return new ClassName(); });                      \
    }
