#include "design/PluginOptionsForm.h"

#include "design/AttackOptionsCheck.h"
#include "design/ParameterField.h"
#include "design/TargetImagePicker.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

namespace poisonlab::ui {

using nlohmann::json;

PluginOptionsForm::PluginOptionsForm(QWidget *parent) : QWidget(parent), m_layout(new QGridLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setColumnStretch(1, 1);
}

void PluginOptionsForm::setPlugin(const plugin::PluginMetadata *plugin)
{
    for (const auto &extra : std::as_const(m_extraRows)) { // the caller's: kept, hidden until added again
        m_layout->removeWidget(extra.second);
        extra.second->hide();
    }
    m_extraRows.clear();
    for (ParameterField *f : std::as_const(m_fields))
        delete f->row();
    qDeleteAll(m_labels);
    qDeleteAll(m_fields);
    m_labels.clear();
    m_fields.clear();
    m_unknown = json::object();
    if (!plugin)
        return;
    const int lineHeight = QLineEdit().sizeHint().height(); // labels centre on a one-line editor
    for (const plugin::PluginParameter &p : plugin->parameters) {
        auto *f = new ParameterField(p, this);
        auto *label = new QLabel(f->label(), this);
        label->setToolTip(QString::fromStdString(p.description));
        label->setBuddy(f->editor());
        label->setMinimumHeight(lineHeight);
        connect(f, &ParameterField::edited, this, [this] {
            syncImageFields();
            Q_EMIT edited();
        });
        m_fields << f;
        m_labels << label;
        f->setTrainingSet(m_summary);
    }
    relayout();
}

// Each field on a row of its own (label, then editor with its problem line), each extra row
// right under its field.
void PluginOptionsForm::relayout()
{
    while (m_layout->count() > 0)
        delete m_layout->takeAt(0); // the layout items only; the widgets stay
    int row = 0;
    for (int i = 0; i < m_fields.size(); ++i) {
        m_layout->addWidget(m_labels[i], row, 0, Qt::AlignLeft | Qt::AlignTop);
        m_layout->addWidget(m_fields[i]->row(), row++, 1);
        for (const auto &extra : std::as_const(m_extraRows))
            if (extra.first == m_fields[i]->name())
                m_layout->addWidget(extra.second, row++, 1);
    }
    for (const auto &extra : std::as_const(m_extraRows))
        if (!field(extra.first))
            m_layout->addWidget(extra.second, row++, 0, 1, 2);
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
    m_extraRows.append({name, widget});
    widget->show();
    relayout();
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
