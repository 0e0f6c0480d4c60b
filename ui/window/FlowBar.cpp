#include "window/FlowBar.h"

#include <QAction>
#include <QActionGroup>
#include <QFont>
#include <QToolButton>

namespace poisonlab::ui {

namespace {

struct StepText {
    const char *id;
    const char *title;
    const char *hint;
};

const StepText kSteps[FlowBar::StepCount] = {
    {"data", QT_TRANSLATE_NOOP("FlowBar", "Data"),
     QT_TRANSLATE_NOOP("FlowBar", "Browse the image-caption pairs and choose what the experiment trains on")},
    {"attack", QT_TRANSLATE_NOOP("FlowBar", "Attack"),
     QT_TRANSLATE_NOOP("FlowBar", "Design the attack: type, classes, poison rate; preview the poisoned pairs")},
    {"train", QT_TRANSLATE_NOOP("FlowBar", "Train"),
     QT_TRANSLATE_NOOP("FlowBar", "Fine-tune CLIP on the poisoned data (and a clean reference), with live charts")},
    {"results", QT_TRANSLATE_NOOP("FlowBar", "Results"),
     QT_TRANSLATE_NOOP("FlowBar", "Hit@K, MinRank and R@K of finished runs, side by side")},
};

} // namespace

FlowBar::FlowBar(QWidget *parent) : QToolBar(tr("Steps"), parent)
{
    setObjectName(QStringLiteral("flowBar"));
    setMovable(false);
    setFloatable(false);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *group = new QActionGroup(this);
    group->setExclusive(true);
    for (int i = 0; i < StepCount; ++i) {
        auto *action = new QAction(this);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("step-") + QLatin1String(kSteps[i].id));
        action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        group->addAction(action);
        addAction(action);
        m_actions[i] = action;
        if (auto *button = qobject_cast<QToolButton *>(widgetForAction(action))) {
            QFont font = button->font();
            font.setPointSizeF(font.pointSizeF() * 1.1);
            button->setFont(font);
            button->setMinimumWidth(140);
        }
        if (i + 1 < StepCount)
            addSeparator();
        connect(action, &QAction::triggered, this, [this, i] { setCurrent(Step(i)); });
        updateText(Step(i));
    }
    m_actions[Data]->setChecked(true);
}

void FlowBar::setCurrent(Step step)
{
    m_actions[step]->setChecked(true);
    if (step == m_current)
        return;
    m_current = step;
    Q_EMIT stepChosen(step);
}

void FlowBar::setDone(Step step, bool done, const QString &detail)
{
    m_done[step] = done;
    m_details[step] = detail;
    updateText(step);
}

QString FlowBar::id(Step step)
{
    return QLatin1String(kSteps[step].id);
}

int FlowBar::fromId(const QString &id)
{
    for (int i = 0; i < StepCount; ++i)
        if (id == QLatin1String(kSteps[i].id))
            return i;
    return -1;
}

void FlowBar::updateText(Step step)
{
    // "1  Data ✓": the number says the order, the tick what is already done.
    const QString title = tr(kSteps[step].title);
    QString text = QStringLiteral("%1  %2").arg(int(step) + 1).arg(title);
    if (m_done[step])
        text += QStringLiteral("  \u2713");
    m_actions[step]->setText(text);
    QString tip = tr(kSteps[step].hint);
    if (!m_details[step].isEmpty())
        tip += QStringLiteral("\n") + m_details[step];
    tip += QStringLiteral("\n(Alt+%1)").arg(int(step) + 1);
    m_actions[step]->setToolTip(tip);
}

} // namespace poisonlab::ui
