// Every attack and defense names itself in its messages with the id from its plugin.json
// (metadata().id, Plugin::fail), never a copy in its code; and the one class behind Attacks II
// and III takes one goal or a list as its plugin.json's "multiGoal" says.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/plugin/AttackPlugin.h"
#include "poisonlab/core/plugin/DefensePlugin.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

using namespace poisonlab;
using nlohmann::json;

using poisonlab::test::errorOf;

namespace {

/// 4 sheep and 2 aeroplane images in the train split, one caption each.
data::Dataset sheepAndPlanes()
{
    data::Dataset d;
    d.classes = {"sheep", "aeroplane"};
    for (int i = 0; i < 6; ++i) {
        data::ImageRecord img;
        img.path = "img" + std::to_string(i) + ".png";
        img.label = i < 4 ? 0 : 1;
        img.categories = {img.label};
        img.split = data::Split::Train;
        d.images.push_back(img);
        d.captions.push_back({i, "a photo #" + std::to_string(i)});
    }
    return d;
}

/// The message of the poisonlab::Error `f` throws, or "" when it throws none.

void addPluginRows(const std::string &kind)
{
    QTest::addColumn<QString>("id");
    for (const auto &meta : plugin::PluginRegistry::instance().plugins(kind))
        QTest::newRow(meta.id.c_str()) << QString::fromStdString(meta.id);
}

const json kTwoGoals = {
    {"goals", {{{"source", "sheep"}, {"target", "aeroplane"}}, {{"source", "aeroplane"}, {"target", "sheep"}}}},
    {"rate", 0.5}};

} // namespace

class TestPluginMessages : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void attacksNameThemselves_data() { addPluginRows("attack"); }
    void attacksNameThemselves();
    void defensesNameThemselves_data() { addPluginRows("defense"); }
    void defensesNameThemselves();
    void multiGoalComesFromPluginJson_data();
    void multiGoalComesFromPluginJson();
};

void TestPluginMessages::attacksNameThemselves()
{
    QFETCH(QString, id);
    auto attack = plugin::PluginRegistry::instance().create<attack::AttackPlugin>(id.toStdString());
    QVERIFY(attack);
    const std::string msg = errorOf([&] {
        attack->poison(sheepAndPlanes(), {{"source", "sheep"}, {"target", "aeroplane"}, {"rat", 1}}, {});
    });
    QVERIFY2(msg.rfind(id.toStdString() + ": ", 0) == 0, msg.c_str());
}

void TestPluginMessages::defensesNameThemselves()
{
    QFETCH(QString, id);
    auto defense = plugin::PluginRegistry::instance().create<defense::DefensePlugin>(id.toStdString());
    QVERIFY(defense);
    const std::string msg = errorOf([&] { defense->validate(json::array(), {{"data"}, true}); });
    QVERIFY2(msg.rfind(id.toStdString() + ": ", 0) == 0, msg.c_str());
}

void TestPluginMessages::multiGoalComesFromPluginJson_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("multiGoal");
    QTest::newRow("Attack II") << "attack-single-target-label" << false;
    QTest::newRow("Attack III") << "attack-multi-target-label" << true;
}

void TestPluginMessages::multiGoalComesFromPluginJson()
{
    QFETCH(QString, id);
    QFETCH(bool, multiGoal);
    auto attack = plugin::PluginRegistry::instance().create<attack::AttackPlugin>(id.toStdString());
    QVERIFY(attack);
    QCOMPARE(attack->metadata().raw.value("multiGoal", false), multiGoal);
    const std::string msg = errorOf([&] { attack->poison(sheepAndPlanes(), kTwoGoals, {}); });
    if (multiGoal)
        QVERIFY2(msg.empty(), msg.c_str());
    else
        QVERIFY2(msg.rfind(id.toStdString() + ": ", 0) == 0, msg.c_str());
}

POISONLAB_TEST_MAIN(TestPluginMessages)
#include "tst_pluginmessages.moc"
