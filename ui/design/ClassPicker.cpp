#include "design/ClassPicker.h"

#include "design/TrainingSetSummary.h"

#include <QSignalBlocker>

namespace poisonlab::ui {

ClassPicker::ClassPicker(QWidget *parent) : QComboBox(parent)
{
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(18);
    rebuild({});
    connect(this, &QComboBox::activated, this, [this](int) { Q_EMIT classEdited(className()); });
}

QString ClassPicker::label(const TrainingSetSummary &summary, const QString &name)
{
    const ClassCount *c = summary.find(name.toStdString());
    if (!c)
        return tr("%1 (not in the training set)").arg(name);
    return tr("%1 — %2 captions, %3 images").arg(name).arg(c->captions).arg(c->images);
}

void ClassPicker::setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary)
{
    m_summary = std::move(summary);
    rebuild(className());
}

QString ClassPicker::className() const
{
    return currentData().toString();
}

void ClassPicker::setClassName(const QString &name)
{
    const QSignalBlocker block(this);
    const int at = findData(name);
    if (at >= 0 && !name.isEmpty())
        setCurrentIndex(at);
    else
        rebuild(name);
}

void ClassPicker::rebuild(const QString &current)
{
    const QSignalBlocker block(this);
    clear();
    addItem(tr("(pick a class)"), QString());
    if (m_summary)
        for (const ClassCount &c : m_summary->classes) {
            const QString name = QString::fromStdString(c.name);
            addItem(label(*m_summary, name), name);
        }
    if (!current.isEmpty() && findData(current) < 0)
        addItem(m_summary ? label(*m_summary, current) : current, current);
    setCurrentIndex(current.isEmpty() ? 0 : findData(current));
}

} // namespace poisonlab::ui
