#include "sweep/SweepData.h"

#include <QDir>
#include <QObject>
#include <QStringList>

#include <algorithm>
#include <filesystem>
#include <map>

namespace poisonlab::ui {

namespace fs = std::filesystem;

namespace {

/// "a.b+c.d" -> {"a.b", "c.d"}: the keys a zipped axis sweeps together.
std::vector<std::string> zippedKeys(const std::string &key)
{
    std::vector<std::string> keys;
    std::size_t start = 0;
    for (std::size_t plus = key.find('+'); plus != std::string::npos; plus = key.find('+', start)) {
        keys.push_back(key.substr(start, plus - start));
        start = plus + 1;
    }
    keys.push_back(key.substr(start));
    return keys;
}

QString lastPart(const std::string &key)
{
    const auto dot = key.rfind('.');
    return QString::fromStdString(dot == std::string::npos ? key : key.substr(dot + 1));
}

bool endsWith(const std::string &s, const std::string &end)
{
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

/// "attack.options.source+attack.options.target": the attack's class pair, swept together.
bool isPairKey(const std::string &key)
{
    const auto keys = zippedKeys(key);
    return keys.size() == 2 && endsWith(keys[0], "source") && endsWith(keys[1], "target");
}

} // namespace

std::shared_ptr<const SweepData> SweepData::read(const QString &dir)
{
    auto data = std::make_shared<SweepData>();
    data->dir = QDir::cleanPath(QDir(dir).absolutePath());
    const fs::path path(data->dir.toStdString());
    data->index = experiment::SweepIndex::load(path);
    data->cells = experiment::readSweepStatus(path);
    return data;
}

bool SweepData::isFinished(int cell) const
{
    return cell >= 0 && cell < cellCount() && cells[std::size_t(cell)].final.has_value();
}

nlohmann::json SweepData::axisValue(int cell, int axis) const
{
    if (cell < 0 || cell >= cellCount() || axis < 0 || axis >= axisCount())
        return nullptr;
    const nlohmann::json &overrides = cells[std::size_t(cell)].cell.overrides;
    const std::string &key = index.axes[std::size_t(axis)].key;
    if (overrides.is_object() && overrides.contains(key))
        return overrides[key];
    const auto keys = zippedKeys(key);
    if (keys.size() < 2 || !overrides.is_object())
        return nullptr;
    nlohmann::json values = nlohmann::json::array();
    for (const std::string &k : keys) {
        if (!overrides.contains(k))
            return nullptr;
        values.push_back(overrides[k]);
    }
    return values;
}

nlohmann::json SweepData::configValue(int cell, const std::string &dottedKey) const
{
    if (cell >= 0 && cell < cellCount()) {
        const nlohmann::json &overrides = cells[std::size_t(cell)].cell.overrides;
        if (overrides.is_object() && overrides.contains(dottedKey))
            return overrides[dottedKey];
    }
    const nlohmann::json *node = &index.baseConfig;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = dottedKey.find('.', start);
        const std::string part = dottedKey.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (node->is_array() && !part.empty() && part.find_first_not_of("0123456789") == std::string::npos) {
            const std::size_t i = std::stoul(part); // "evaluation.goals.0.source"
            if (i >= node->size())
                return nullptr;
            node = &(*node)[i];
        } else if (node->is_object() && node->contains(part)) {
            node = &(*node)[part];
        } else {
            return nullptr;
        }
        if (dot == std::string::npos)
            return *node;
        start = dot + 1;
    }
}

const eval::AttackFigures *SweepData::goal(int cell) const
{
    if (!isFinished(cell))
        return nullptr;
    const eval::EvaluationResult &result = *cells[std::size_t(cell)].final;
    const nlohmann::json source = configValue(cell, "attack.options.source");
    const nlohmann::json target = configValue(cell, "attack.options.target");
    if (source.is_string() && target.is_string())
        for (const eval::AttackFigures &figures : result.attacks) {
            const auto &targets = figures.targetClasses;
            if (figures.sourceClass == source.get<std::string>() && targets && targets->size() == 1 &&
                targets->front() == target.get<std::string>())
                return &figures;
        }
    return result.firstAttack();
}

int SweepData::cellOfRun(const QString &runDir) const
{
    const QString wanted = QDir::cleanPath(QDir(dir).absoluteFilePath(runDir));
    for (int i = 0; i < cellCount(); ++i)
        if (this->runDir(i) == wanted)
            return i;
    return -1;
}

QString SweepData::runDir(int cell) const
{
    if (cell < 0 || cell >= cellCount())
        return {};
    return QDir::cleanPath(
        QDir(dir).absoluteFilePath(QString::fromStdString(cells[std::size_t(cell)].cell.runDir.string())));
}

QString SweepData::stateSummary() const
{
    static const std::vector<std::string> order = {"finished", "running", "pending", "cancelled", "failed"};
    std::map<std::string, int> counts;
    for (const auto &c : cells)
        ++counts[c.state];
    QStringList parts;
    for (const std::string &state : order)
        if (const auto it = counts.find(state); it != counts.end())
            parts << QObject::tr("%1 %2").arg(it->second).arg(QString::fromStdString(state));
    for (const auto &[state, count] : counts)
        if (std::find(order.begin(), order.end(), state) == order.end())
            parts << QObject::tr("%1 %2").arg(count).arg(QString::fromStdString(state));
    return parts.join(QStringLiteral(" · "));
}

QString SweepData::valueText(const nlohmann::json &value)
{
    if (value.is_null())
        return QStringLiteral("–");
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_number_float())
        return QString::number(value.get<double>(), 'g', 6);
    if (value.is_array()) {
        QStringList parts;
        for (const auto &v : value)
            parts << valueText(v);
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromStdString(value.dump());
}

QString SweepData::axisText(int cell, int axis) const
{
    return axisValueText(axis, axisValue(cell, axis));
}

QString SweepData::axisValueText(int axis, const nlohmann::json &value) const
{
    if (isPairAxis(axis) && value.is_array() && value.size() == 2) // reads as the attack it is
        return valueText(value[0]) + QStringLiteral(" → ") + valueText(value[1]);
    return valueText(value);
}

bool SweepData::isPairAxis(int axis) const
{
    return axis >= 0 && axis < axisCount() && isPairKey(index.axes[std::size_t(axis)].key);
}

QString SweepData::keyTitle(const std::string &key)
{
    QStringList parts;
    for (const std::string &k : zippedKeys(key))
        parts << lastPart(k);
    return parts.join(isPairKey(key) ? QStringLiteral(" → ") : QStringLiteral(" + "));
}

} // namespace poisonlab::ui
