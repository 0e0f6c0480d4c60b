// PluginParameter: plugin.json's option descriptions read into one typed struct and written back
// unchanged; a bad description says which parameter and why; values are checked against the
// type, range and choices the way the workbench's forms will check them; every shipped plugin's
// description reads, and its defaults pass its own checks.
#include "TestSupport.h"

#include "poisonlab/core/plugin/PluginParameter.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

using namespace poisonlab;
using nlohmann::json;
using plugin::PluginParameter;

class TestPluginParameter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void badDescriptionsSayWhy_data();
    void badDescriptionsSayWhy();
    void valuesAreChecked_data();
    void valuesAreChecked();
    void shippedPluginsDescribeTheirParameters();
};

namespace {

const char *kRate =
    R"({"name":"rate","type":"number","required":true,"min":0.0,"minExclusive":true,"max":1.0,"default":0.05,"description":"Poison rate"})";

} // namespace

void TestPluginParameter::roundTrips_data()
{
    QTest::addColumn<QString>("description");
    QTest::newRow("number with a range") << kRate;
    QTest::newRow("choice") << R"({"name":"unit","type":"choice","default":"caption","choices":["caption","image"]})";
    QTest::newRow("goal list") << R"({"name":"goals","type":"goal-list","required":true})";
    QTest::newRow("number list") << R"({"name":"learning_rates","type":"number-list","default":[0.001,0.0001]})";
    QTest::newRow("object") << R"({"name":"threshold","type":"object","default":{"distance":0.8}})";
}

void TestPluginParameter::roundTrips()
{
    QFETCH(QString, description);
    const json j = json::parse(description.toStdString());
    QCOMPARE(QString::fromStdString(PluginParameter::fromJson(j).toJson().dump()), QString::fromStdString(j.dump()));
}

void TestPluginParameter::badDescriptionsSayWhy_data()
{
    QTest::addColumn<QString>("parameters");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no name") << R"([{"type":"number"}])"
                             << "needs a \"name\"";
    QTest::newRow("unknown type") << R"([{"name":"seed","type":"int"}])"
                                  << "parameter \"seed\": unknown type \"int\"";
    QTest::newRow("no type") << R"([{"name":"seed"}])"
                             << "parameter \"seed\": missing \"type\"";
    QTest::newRow("choice without choices") << R"([{"name":"unit","type":"choice"}])"
                                            << "needs \"choices\"";
    QTest::newRow("default out of range") << R"([{"name":"rate","type":"number","max":1,"default":2}])"
                                          << "parameter \"rate\": its default 2 is not allowed: rate must be at most 1";
    QTest::newRow("min not a number") << R"([{"name":"rate","type":"number","min":"0"}])"
                                      << "\"min\" must be a number";
    QTest::newRow("described twice") << R"([{"name":"a","type":"bool"},{"name":"a","type":"bool"}])"
                                     << "parameter \"a\" is described twice";
    QTest::newRow("not an array") << R"({"name":"a"})"
                                  << "must be an array";
}

void TestPluginParameter::badDescriptionsSayWhy()
{
    QFETCH(QString, parameters);
    QFETCH(QString, expected);
    try {
        PluginParameter::listFromJson(json::parse(parameters.toStdString()));
        QFAIL("accepted a bad description");
    } catch (const std::runtime_error &e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

void TestPluginParameter::valuesAreChecked_data()
{
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("problem"); // empty: accepted
    const QString seed = R"({"name":"seed","type":"integer","min":0})";
    const QString unit = R"({"name":"unit","type":"choice","choices":["caption","image"]})";
    QTest::newRow("rate inside") << kRate << "0.02"
                                 << "";
    QTest::newRow("rate at its exclusive minimum") << kRate << "0"
                                                   << "rate must be greater than 0";
    QTest::newRow("rate above its maximum") << kRate << "1.5"
                                            << "rate must be at most 1";
    QTest::newRow("rate as text") << kRate << R"("0.1")"
                                  << "rate must be a number";
    QTest::newRow("seed whole") << seed << "42"
                                << "";
    QTest::newRow("seed 42.0 is whole") << seed << "42.0"
                                        << "";
    QTest::newRow("seed fractional") << seed << "4.5"
                                     << "seed must be a whole number";
    QTest::newRow("seed negative") << seed << "-1"
                                   << "seed must be at least 0";
    QTest::newRow("unit known") << unit << R"("image")"
                                << "";
    QTest::newRow("unit unknown") << unit << R"("pixel")"
                                  << "unit must be one of caption, image";
    QTest::newRow("goals") << R"({"name":"goals","type":"goal-list"})"
                           << R"([{"source":"sheep","target":"cat"}])"
                           << "";
    QTest::newRow("goal without target") << R"({"name":"goals","type":"goal-list"})"
                                         << R"([{"source":"sheep"}])"
                                         << "goals must be a list of {\"source\": A, \"target\": B} goals";
    QTest::newRow("image by index") << R"({"name":"target_image","type":"image"})"
                                    << "17"
                                    << "";
    QTest::newRow("image as a list") << R"({"name":"target_image","type":"image"})"
                                     << "[17]"
                                     << "target_image must be a path, source id or index";
}

void TestPluginParameter::valuesAreChecked()
{
    QFETCH(QString, description);
    QFETCH(QString, value);
    QFETCH(QString, problem);
    const auto p = PluginParameter::fromJson(json::parse(description.toStdString()));
    const auto got = p.problemWith(json::parse(value.toStdString()));
    QCOMPARE(got ? QString::fromStdString(*got) : QString(), problem);
}

void TestPluginParameter::shippedPluginsDescribeTheirParameters()
{
    const auto &registry = plugin::PluginRegistry::instance();
    for (const auto &problem : registry.problems())
        QVERIFY2(problem.message.find("parameter") == std::string::npos, problem.message.c_str());
    int attacks = 0;
    for (const auto &meta : registry.plugins()) {
        for (const auto &p : meta.parameters)
            if (!p.defaultValue.is_null())
                QVERIFY2(!p.problemWith(p.defaultValue), (meta.id + ": " + p.name).c_str());
        if (meta.kind != "attack")
            continue;
        ++attacks;
        const auto rate = std::find_if(meta.parameters.begin(), meta.parameters.end(),
                                       [](const PluginParameter &p) { return p.name == "rate"; });
        QVERIFY2(rate != meta.parameters.end(), meta.id.c_str()); // the designer's rate slider needs it
        QCOMPARE(rate->type, PluginParameter::Type::Number);
        QVERIFY(rate->problemWith(0.0) && rate->problemWith(1.5) && !rate->problemWith(0.5));
    }
    QVERIFY(attacks >= 4);
}

POISONLAB_TEST_MAIN(TestPluginParameter)
#include "tst_pluginparameter.moc"
