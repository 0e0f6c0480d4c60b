// Plugin discovery: metadata is read before loading, broken plugins are reported, never fatal.
#include "TestSupport.h"

#include "poisonlab/core/plugin/AttackPlugin.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

using namespace poisonlab;
using namespace poisonlab::plugin;
namespace fs = std::filesystem;

class TestPluginRegistry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goodPluginLoads();
    void brokenPluginsAreReported_data();
    void brokenPluginsAreReported();
    void duplicateIdIsReported();
    void unknownIdIsAnError();
    void throwingFactoryIsReported();
    void wrongKindIsReported();
};

void TestPluginRegistry::goodPluginLoads()
{
    PluginRegistry registry;
    registry.scan({POISONLAB_TEST_PLUGIN_DIR});
    QVERIFY2(registry.problems().empty(), registry.problems().empty() ? "" : registry.problems()[0].message.c_str());
    const auto attacks = registry.plugins("attack");
    QCOMPARE(attacks.size(), size_t(1));
    QCOMPARE(attacks[0].id, std::string("test-good"));
    QCOMPARE(attacks[0].name, std::string("Test plugin"));
    QVERIFY(registry.plugins("defense").empty());
    std::string error;
    auto plugin = registry.create<Plugin>("test-good", &error);
    QVERIFY2(plugin, error.c_str());
    QCOMPARE(plugin->metadata().id, std::string("test-good"));
}

void TestPluginRegistry::brokenPluginsAreReported_data()
{
    QTest::addColumn<QString>("pluginJson");
    QTest::addColumn<bool>("writeLibrary");
    QTest::addColumn<QString>("expected");
    QTest::newRow("invalid json") << "{ \"id\": " << false << "invalid JSON at line 1";
    QTest::newRow("not an object") << "[1, 2]" << false << "must be a JSON object";
    QTest::newRow("missing id") << R"({"kind":"attack","apiVersion":2,"library":"libx.so"})" << false
                                << "missing key \"id\"";
    QTest::newRow("unknown kind") << R"({"id":"x","kind":"magic","apiVersion":2,"library":"libx.so"})" << false
                                  << "unknown kind \"magic\"";
    QTest::newRow("bad parameter description")
        << R"({"id":"x","kind":"attack","apiVersion":2,"library":"libx.so","parameters":[{"name":"rate","type":"float"}]})"
        << true << "parameter \"rate\": unknown type \"float\"";
    QTest::newRow("api version") << R"({"id":"x","kind":"attack","apiVersion":99,"library":"libx.so"})" << true
                                 << "plugin API 99";
    QTest::newRow("missing library") << R"({"id":"x","kind":"attack","apiVersion":2,"library":"libx.so"})" << false
                                     << "not found";
    QTest::newRow("library not loadable")
        << R"({"id":"x","kind":"attack","apiVersion":2,"library":"libx.so"})" << true << "cannot load";
}

void TestPluginRegistry::brokenPluginsAreReported()
{
    QFETCH(QString, pluginJson);
    QFETCH(bool, writeLibrary);
    QFETCH(QString, expected);
    test::TempDir dir;
    test::writeText(dir / "broken" / "plugin.json", pluginJson.toStdString());
    if (writeLibrary)
        test::writeText(dir / "broken" / "libx.so", "this is not an ELF file");

    PluginRegistry registry;
    // The broken plugin sits beside the good one; scanning must go on and keep the good one.
    registry.scan({dir.path(), POISONLAB_TEST_PLUGIN_DIR});
    QVERIFY(registry.find("test-good") != nullptr);
    std::string error;
    if (registry.find("x"))
        QVERIFY(!registry.create<Plugin>("x", &error));
    const auto problems = registry.problems();
    QCOMPARE(problems.size(), size_t(1));
    QVERIFY2(problems[0].message.find(expected.toStdString()) != std::string::npos, problems[0].message.c_str());
    QVERIFY2(problems[0].message.find("broken") != std::string::npos, "the message must name the plugin's folder");
}

void TestPluginRegistry::duplicateIdIsReported()
{
    PluginRegistry registry;
    registry.scan({POISONLAB_TEST_PLUGIN_DIR, POISONLAB_TEST_PLUGIN_DIR});
    QCOMPARE(registry.plugins().size(), size_t(1));
    QCOMPARE(registry.problems().size(), size_t(1));
    QVERIFY(registry.problems()[0].message.find("already provided") != std::string::npos);
}

void TestPluginRegistry::unknownIdIsAnError()
{
    PluginRegistry registry;
    registry.scan({POISONLAB_TEST_PLUGIN_DIR});
    std::string error;
    QVERIFY(!registry.create<Plugin>("nope", &error));
    QVERIFY2(error.find("unknown plugin \"nope\"") != std::string::npos, error.c_str());
    QVERIFY2(error.find("test-good") != std::string::npos, "the message lists the known plugins");
}

// A factory that throws: create() returns nothing, the reason is a problem naming the plugin, and
// the other plugins of the same scan still load (before and after).
void TestPluginRegistry::throwingFactoryIsReported()
{
    PluginRegistry registry;
    registry.scan({POISONLAB_TEST_BROKEN_PLUGIN_DIR, POISONLAB_TEST_PLUGIN_DIR});
    QVERIFY(registry.problems().empty()); // metadata alone is fine: the library is loaded on create
    QVERIFY(registry.find("test-throwing"));
    QVERIFY(registry.create<Plugin>("test-good"));
    std::string error;
    QVERIFY(!registry.create<Plugin>("test-throwing", &error));
    QVERIFY2(error.find("factory threw: cannot start: its model file is missing") != std::string::npos, error.c_str());
    const auto problems = registry.problems();
    QCOMPARE(problems.size(), size_t(1));
    QVERIFY2(problems[0].message.find("test-throwing") != std::string::npos, problems[0].message.c_str());
    QVERIFY(registry.create<Plugin>("test-good"));
}

// plugin.json says "attack" but the library's object is no AttackPlugin: refused by name.
void TestPluginRegistry::wrongKindIsReported()
{
    PluginRegistry registry;
    registry.scan({POISONLAB_TEST_PLUGIN_DIR});
    std::string error;
    QVERIFY(!registry.create<attack::AttackPlugin>("test-good", &error));
    QVERIFY2(error.find("does not implement the interface its kind requires") != std::string::npos, error.c_str());
    QCOMPARE(registry.problems().size(), size_t(1));
}

POISONLAB_TEST_MAIN(TestPluginRegistry)
#include "tst_pluginregistry.moc"
