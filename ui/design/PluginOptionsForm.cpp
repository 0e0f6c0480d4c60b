#include "design/PluginOptionsForm.h"

#include "design/AttackOptionsCheck.h"
#include "design/ParameterField.h"
#include "design/TargetImagePicker.h"

#include <QFormLayout>
#include <QLabel>

namespace poisonlab::ui {

using nlohmann::json;

PluginOptionsForm::PluginOptionsForm(QWidget *parent) : QWidget(parent), m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void PluginOptionsForm::setPlugin(const plugin::PluginMetadata *plugin)
{
    for (QWidget *w : std::as_const(m_extraRows)) { // the caller's: kept, hidden until added again
        m_layout->takeRow(w);
        w->hide();
    }
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0); // deletes the labels and the fields' rows
    qDeleteAll(m_fields);
    m_fields.clear();
    m_extraRows.clear();
    m_unknown = json::object();
    if (!plugin)
        return;
    for (const plugin::PluginParameter &p : plugin->parameters) {
        auto *f = new ParameterField(p, this);
        auto *label = new QLabel(f->label(), this);
        label->setToolTip(QString::fromStdString(p.description));
        label->setBuddy(f->editor());
        m_layout->addRow(label, f->row());
        connect(f, &ParameterField::edited, this, [this] {
            syncImageFields();
            Q_EMIT edited();
        });
        m_fields << f;
        f->setTrainingSet(m_summary);
    }
}

json PluginOptionsForm::options() const
{
    json out = m_unknown;
    for (const ParameterField *f : m_fields) {
        const json v = f->value();
        if (!v.is_null())
            out[f->parameter().name] = v;
    }
    return out;
}

void PluginOptionsForm::setOptions(const json &options)
{
    m_unknown = json::object();
    for (ParameterField *f : std::as_const(m_fields))
        f->setValue(json());
    if (options.is_object())
        for (const auto &[key, value] : options.items()) {
            if (ParameterField *f = field(QString::fromStdString(key)))
                f->setValue(value);
            else
                m_unknown[key] = value;
        }
    syncImageFields();
}

void PluginOptionsForm::giveRequiredDefaults()
{
    for (ParameterField *f : std::as_const(m_fields))
        if (f->parameter().required)
            f->setExplicit();
}

ParameterField *PluginOptionsForm::field(const QString &name) const
{
    for (ParameterField *f : m_fields)
        if (f->name() == name)
            return f;
    return nullptr;
}

void PluginOptionsForm::setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary)
{
    m_summary = std::move(summary);
    for (ParameterField *f : std::as_const(m_fields))
        f->setTrainingSet(m_summary);
    syncImageFields();
}

std::vector<OptionProblem> PluginOptionsForm::showProblems(const std::vector<OptionProblem> &problems)
{
    std::vector<OptionProblem> unplaced;
    QHash<ParameterField *, QStringList> shown;
    for (const OptionProblem &p : problems) {
        if (ParameterField *f = field(QString::fromStdString(p.field)))
            shown[f] << QString::fromStdString(p.message);
        else
            unplaced.push_back(p);
    }
    for (ParameterField *f : std::as_const(m_fields))
        f->setProblem(shown.value(f).join(QLatin1Char('\n')));
    return unplaced;
}

void PluginOptionsForm::addRowBelow(const QString &name, QWidget *widget)
{
    int row = m_layout->rowCount();
    if (ParameterField *f = field(name)) {
        QFormLayout::ItemRole role;
        m_layout->getWidgetPosition(f->row(), &row, &role);
        ++row;
    }
    m_layout->insertRow(row, static_cast<QWidget *>(nullptr), widget); // in the field column
    widget->show();
    m_extraRows << widget;
}

// x*'s grid lists class B's images in the split x* is drawn from: both come from sibling options.
void PluginOptionsForm::syncImageFields()
{
    const json opts = options();
    const std::vector<DesignedGoal> goals = goalsOf(opts);
    const QString target = goals.empty() ? QString() : QString::fromStdString(goals.front().target);
    for (ParameterField *f : std::as_const(m_fields)) {
        TargetImagePicker *picker = f->imagePicker();
        if (!picker)
            continue;
        json split = opts.value("target_image_split", json());
        if (ParameterField *s = field(QStringLiteral("target_image_split")); s && split.is_null())
            split = s->parameter().defaultValue;
        picker->setSplit(split.is_string() ? QString::fromStdString(split.get<std::string>()) : QString());
        picker->setTargetClass(target);
    }
}

} // namespace poisonlab::ui
