#include "experiment/ExperimentDraft.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QDir>
#include <QFileInfo>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(s.toStdString());
}

// The goals an attack's options name, as evaluation.goals entries.
json goalsOfAttack(const json &attack)
{
    json goals = json::array();
    if (!attack.is_object() || !attack.contains("options") || !attack["options"].is_object())
        return goals;
    const json &o = attack["options"];
    if (o.contains("goals") && o["goals"].is_array()) {
        for (const json &g : o["goals"])
            if (g.is_object() && g.contains("source") && g.contains("target"))
                goals.push_back({{"source", g["source"]}, {"target", g["target"]}});
        return goals;
    }
    if (o.contains("source") && o.contains("target")) {
        json goal = {{"source", o["source"]}, {"target", o["target"]}};
        if (o.contains("target_image") && o["target_image"].is_string())
            goal["target_image"] = o["target_image"];
        goals.push_back(goal);
    }
    return goals;
}

} // namespace

ExperimentDraft::ExperimentDraft(QObject *parent) : QObject(parent)
{
}

void ExperimentDraft::setDocument(json doc, const QString &file)
{
    m_doc = doc.is_object() ? std::move(doc) : json::object();
    m_file = file.isEmpty() ? QString() : QFileInfo(file).absoluteFilePath();
    Q_EMIT reset();
}

json ExperimentDraft::section(const std::string &key) const
{
    const auto it = m_doc.find(key);
    return it == m_doc.end() ? json() : *it;
}

void ExperimentDraft::setSection(const std::string &key, json value)
{
    const auto it = m_doc.find(key);
    if (value.is_null() && key != "attack") {
        if (it == m_doc.end())
            return;
        m_doc.erase(it);
    } else {
        if (it != m_doc.end() && *it == value)
            return;
        m_doc[key] = std::move(value);
    }
    Q_EMIT sectionChanged(QString::fromStdString(key));
}

void ExperimentDraft::setEvaluationKey(const std::string &key, json value)
{
    json evaluation = section("evaluation");
    if (!evaluation.is_object())
        evaluation = json::object();
    if (value.is_null())
        evaluation.erase(key);
    else
        evaluation[key] = std::move(value);
    setSection("evaluation", std::move(evaluation));
}

QStringList ExperimentDraft::variableNames() const
{
    QStringList names;
    for (const std::string &name : experiment::ExperimentConfig::variablesIn(m_doc))
        names << QString::fromStdString(name);
    return names;
}

void ExperimentDraft::setVariable(const QString &name, const QString &value)
{
    if (m_vars.value(name) == value && m_vars.contains(name))
        return;
    if (value.isEmpty())
        m_vars.remove(name);
    else
        m_vars.insert(name, value);
    Q_EMIT variablesChanged();
}

QStringList ExperimentDraft::missingVariables() const
{
    QStringList missing;
    for (const QString &name : variableNames())
        if (m_vars.value(name).isEmpty() && qEnvironmentVariableIsEmpty(name.toLocal8Bit().constData()))
            missing << name;
    return missing;
}

std::map<std::string, std::string> ExperimentDraft::coreVariables() const
{
    std::map<std::string, std::string> vars;
    for (auto it = m_vars.begin(); it != m_vars.end(); ++it)
        vars[it.key().toStdString()] = it.value().toStdString();
    return vars;
}

experiment::ExperimentConfig ExperimentDraft::resolve() const
{
    // Relative paths are anchored at the file; a draft never saved anchors them at the current folder.
    const QString anchor =
        m_file.isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("experiment.json")) : m_file;
    return experiment::ExperimentConfig::fromJson(m_doc, toPath(anchor), coreVariables());
}

json ExperimentDraft::cleanDocument() const
{
    json doc = m_doc;
    const json attack = section("attack");
    doc["attack"] = nullptr;
    json evaluation = doc.contains("evaluation") && doc["evaluation"].is_object() ? doc["evaluation"] : json::object();
    if (!evaluation.contains("goals") || evaluation["goals"].empty())
        evaluation["goals"] = goalsOfAttack(attack);
    doc["evaluation"] = evaluation;
    if (doc.contains("name") && doc["name"].is_string())
        doc["name"] = doc["name"].get<std::string>() + "-clean";
    return doc;
}

void ExperimentDraft::useAttackPair(const QString &source, const QString &target)
{
    const json attack = section("attack");
    json options = attack.is_object() && attack.contains("options") && attack["options"].is_object() ? attack["options"]
                                                                                                     : json::object();
    options.erase("goals");
    options.erase("target_image");
    options["source"] = source.toStdString();
    options["target"] = target.toStdString();
    if (!options.contains("rate"))
        options["rate"] = 1.0;
    setSection("attack", {{"plugin", "attack-single-target-label"}, {"options", options}});
    setEvaluationKey("goals", json::array({{{"source", source.toStdString()}, {"target", target.toStdString()}}}));
}

bool ExperimentDraft::load(const QString &path, QString *error)
{
    try {
        json doc = readJsonFile(toPath(path));
        if (!doc.is_object())
            throw std::runtime_error(path.toStdString() + ": an experiment config is a JSON object");
        setDocument(std::move(doc), path);
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool ExperimentDraft::save(const QString &path, QString *error)
{
    try {
        writeJsonAtomically(toPath(path), m_doc);
        m_file = QFileInfo(path).absoluteFilePath();
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

} // namespace poisonlab::ui
