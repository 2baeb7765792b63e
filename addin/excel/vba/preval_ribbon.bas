Attribute VB_Name = "preval_ribbon"
' Ribbon callbacks of the preval tab (customUI14.xml). Each one only hands over to Python:
' the work, the messages and the error handling are in addin/excel/ribbon.py, so the only
' dialogs VBA itself shows are "no workbook open", "Python did not start" and the result
' of restarting Python. Messages go through PrevalMessage (MessageBoxW: Chinese on any
' Windows). ASCII only: the Chinese texts are cells of the add-in's sheet (see preval_addin.bas).
Option Explicit

' Excel calls this when it loads the add-in's ribbon tab, at its start: the load work (starting Python,
' binding the open workbooks) is deferred until Excel is idle, so it never delays the start.
' Not the workbook's open event: an automatic macro beside code that starts a program is what virus
' scanners quarantine (issue 27, item 3).
Public Sub PrevalRibbonLoaded(ribbon As IRibbonUI)
    Application.OnTime Now, "'" & ThisWorkbook.Name & "'!PrevalAfterLoad"
End Sub

Private Sub CallPreval(ByVal action As String)
    Dim failure As String
    If ActiveWorkbook Is Nothing Then
        ' a workbook from e-mail or the web opens in Protected View: it is there, but not
        ' active until Enable Editing is clicked (Excel 2010+: ActiveProtectedViewWindow)
        If Not Application.ActiveProtectedViewWindow Is Nothing Then
            PrevalMessage PrevalText("protected_view"), ICON_INFO
        Else
            PrevalMessage PrevalText("no_workbook"), ICON_INFO
        End If
        Exit Sub
    End If
    On Error GoTo failed
    RunPython "import addin.ribbon; addin.ribbon." & action & "()"
    Exit Sub
failed:
    failure = Err.Description  ' first: PrevalText clears Err
    PrevalMessage PrevalText("python_failed") & vbCrLf & "(" & failure & ")", ICON_WARNING
End Sub

Public Sub PrevalValidate(control As IRibbonControl)
    CallPreval "validate"
End Sub

Public Sub PrevalScore(control As IRibbonControl)
    CallPreval "score"
End Sub

Public Sub PrevalImport(control As IRibbonControl)
    CallPreval "import_final_accounts"
End Sub

Public Sub PrevalReport(control As IRibbonControl)
    CallPreval "report"
End Sub

Public Sub PrevalSelfReport(control As IRibbonControl)
    CallPreval "self_report"
End Sub

Public Sub PrevalFinalize(control As IRibbonControl)
    CallPreval "finalize"
End Sub

Public Sub PrevalSettings(control As IRibbonControl)
    CallPreval "settings"
End Sub

Public Sub PrevalHelp(control As IRibbonControl)
    CallPreval "help"
End Sub

' Stop the Python process behind the cells and buttons and start a fresh one: what a clerk
' needs when cells show errors after Python was updated or stopped responding.
Public Sub PrevalRestart(control As IRibbonControl)
    Dim failure As String, server As Object
    On Error GoTo failed
    KillPy
    Set server = XLPy
    If Workbooks.Count > 0 Then Application.CalculateFull
    PrevalMessage PrevalText("restarted"), ICON_INFO
    Exit Sub
failed:
    failure = Err.Description  ' first: PrevalText clears Err
    PrevalMessage PrevalText("restart_failed") & vbCrLf & "(" & failure & ")", ICON_WARNING
End Sub
