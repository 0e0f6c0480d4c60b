#pragma once

#include <QToolBar>

#include <array>

class QAction;
class QActionGroup;

namespace poisonlab::ui {

/// The workbench's four steps as a tool bar across the top: Data → Attack → Train → Results.
/// One step is current (its page fills the window); each shows whether it is done ("✓"), so a
/// first-time user sees where they are and what comes next without reading the docs.
class FlowBar : public QToolBar {
    Q_OBJECT
public:
    enum Step { Data = 0, Attack, Train, Results, StepCount };

    explicit FlowBar(QWidget *parent = nullptr);

    Step current() const { return m_current; }
    void setCurrent(Step step); ///< emits stepChosen() when it changes
    /// Marks a step done (a dataset open, a valid attack, a finished run); `detail` goes to its tooltip.
    void setDone(Step step, bool done, const QString &detail = {});
    bool isDone(Step step) const { return m_done[step]; }
    QAction *action(Step step) const { return m_actions[step]; }

    /// The step's id as --panel takes it: "data", "attack", "train", "results".
    static QString id(Step step);
    static int fromId(const QString &id); ///< -1 when `id` is no step

Q_SIGNALS:
    void stepChosen(poisonlab::ui::FlowBar::Step step);

private:
    void updateText(Step step);

    std::array<QAction *, StepCount> m_actions{};
    std::array<bool, StepCount> m_done{};
    std::array<QString, StepCount> m_details;
    Step m_current = Data;
};

} // namespace poisonlab::ui
