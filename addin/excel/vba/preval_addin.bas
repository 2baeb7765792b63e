Attribute VB_Name = "preval_addin"
' What runs when Excel loads preval.xlam, the Chinese texts VBA shows, and the binding of
' our workbooks' PREVAL_* formulas to this add-in.
' VBA source is stored in the project's code page (1252 in the xlwings template): Chinese
' in this file would arrive as "????". So the code stays ASCII and every Chinese text is a
' cell of the add-in's own sheet "preval.conf" (cells are Unicode), written by
' addin/excel/build_addin.py. The column numbers below are its CONF_TEXT_COL and CONF_HELP_COL.
Option Explicit

Private Const CONF_SHEET As String = "preval.conf"
Private Const TEXT_COL As Long = 4   ' D: message key, E: text
Private Const HELP_COL As Long = 7   ' G: function, H: help, I: category, J: argument count, K...: argument help
Public Const ICON_INFO As Long = 64      ' MB_ICONINFORMATION
Public Const ICON_WARNING As Long = 48   ' MB_ICONWARNING

' MsgBox converts its text to the system's ANSI code page: Chinese survives only on a Chinese
' Windows. MessageBoxW takes the UTF-16 string VBA holds, on any Windows.
#If Mac Then
#ElseIf VBA7 Then
    Private Declare PtrSafe Function MessageBoxW Lib "user32" (ByVal hWnd As LongPtr, ByVal lpText As LongPtr, _
        ByVal lpCaption As LongPtr, ByVal uType As Long) As Long
#Else
    Private Declare Function MessageBoxW Lib "user32" (ByVal hWnd As Long, ByVal lpText As Long, _
        ByVal lpCaption As Long, ByVal uType As Long) As Long
#End If

' Kept alive for Excel's session: its WithEvents field receives every WorkbookOpen.
Private AppEvents As PrevalAppEvents

' Scheduled by the ribbon's onLoad (preval_ribbon.PrevalRibbonLoaded), so it runs once Excel has
' finished starting.
' Best effort: nothing here may stop Excel; a UDF cell shows its own error if Python is missing.
Public Sub PrevalAfterLoad()
    On Error Resume Next
    PrevalRegisterHelp
#If Mac Then
    Exit Sub
#End If
    Set AppEvents = New PrevalAppEvents
    Set AppEvents.App = Application
    ' Start the UDF server now rather than on the first PREVAL_* cell, then bind and
    ' recompute the workbooks opened before the add-in (their PREVAL_* cells could not compute).
    Dim server As Object, started As Boolean, wb As Workbook
    Err.Clear
    Set server = XLPy
    started = (Err.Number = 0)
    For Each wb In Application.Workbooks
        PrevalBind wb
    Next wb
    If started And Workbooks.Count > 0 Then Application.CalculateFull
End Sub

' A workbook of ours (it has the defined name of the template version) gets its PREVAL_*
' formulas bound to this add-in. A formula written by another program, or saved on another
' PC, may name an add-in Excel has not linked to this file, and stays #NAME? until entered
' again; Application.CalculateFull does not parse formulas anew. So: links to a preval.xlam
' in another folder are pointed here, then every formula that calls PREVAL_* is entered
' again. Screen updating, events and calculation are restored; each sheet is protected again
' as it was; a workbook without unsaved changes stays without (no "save changes?" for this).
' Other workbooks are not touched.
Public Sub PrevalBind(ByVal wb As Workbook)
    Dim probe As Object, wasSaved As Boolean, calcMode As Long, updating As Boolean, events As Boolean
    If wb Is ThisWorkbook Then Exit Sub
    On Error Resume Next
    Set probe = wb.Names(PrevalText("version_name"))
    If probe Is Nothing Then Exit Sub
    wasSaved = wb.Saved
    calcMode = Application.Calculation
    updating = Application.ScreenUpdating
    events = Application.EnableEvents
    Application.ScreenUpdating = False
    Application.EnableEvents = False
    Application.Calculation = xlCalculationManual
    PrevalRepointLinks wb
    PrevalReenter wb
    Application.Calculation = calcMode
    Application.EnableEvents = events
    Application.ScreenUpdating = updating
    If wasSaved Then wb.Saved = True
End Sub

' Links to a file named like this add-in, in another folder (another user's XLSTART, an old
' install), now point at this add-in.
Private Sub PrevalRepointLinks(ByVal wb As Workbook)
    Dim links As Variant, i As Long, path As String
    On Error Resume Next
    links = wb.LinkSources(xlExcelLinks)
    If IsEmpty(links) Then Exit Sub
    For i = LBound(links) To UBound(links)
        path = CStr(links(i))
        If StrComp(Mid$(path, InStrRev(path, "\") + 1), ThisWorkbook.Name, vbTextCompare) = 0 Then
            If StrComp(path, ThisWorkbook.FullName, vbTextCompare) <> 0 Then
                wb.ChangeLink path, ThisWorkbook.FullName, xlLinkTypeExcelLinks
            End If
        End If
    Next i
End Sub

' Each formula calling PREVAL_* on the computed sheets entered again (the F2+Enter effect),
' without the "_xludf." Excel keeps on a function it could not bind.
Private Sub PrevalReenter(ByVal wb As Workbook)
    Dim sheetNames As Variant, i As Long, ws As Worksheet, found As Range, cell As Range
    Dim protection(0 To 13) As Variant
    sheetNames = Split(PrevalText("bind_sheets"), ",")
    ' SpecialCells fails on a protected sheet (all four are protected in the template), and the
    ' failure was swallowed: each sheet is unprotected first, searched, then protected again.
    For i = LBound(sheetNames) To UBound(sheetNames)
        Set ws = Nothing
        Set found = Nothing
        On Error Resume Next
        Set ws = wb.Worksheets(CStr(sheetNames(i)))
        On Error GoTo 0
        If Not ws Is Nothing Then
            If PrevalUnprotect(ws, protection) Then
                On Error Resume Next
                Set found = ws.UsedRange.SpecialCells(xlCellTypeFormulas)
                If Not found Is Nothing Then
                    For Each cell In found.Cells
                        If InStr(1, cell.Formula, "PREVAL_", vbTextCompare) > 0 Then
                            cell.Formula = Replace(cell.Formula, "_xludf.", "", 1, -1, vbTextCompare)
                        End If
                    Next cell
                End If
                On Error GoTo 0
                PrevalProtectAgain ws, protection
            End If
        End If
    Next i
End Sub

' Unprotect a sheet, remembering how it was protected; False when it has a password.
Private Function PrevalUnprotect(ByVal ws As Worksheet, ByRef state() As Variant) As Boolean
    state(0) = ws.ProtectContents
    If Not state(0) Then
        PrevalUnprotect = True
        Exit Function
    End If
    state(1) = ws.ProtectDrawingObjects
    state(2) = ws.ProtectScenarios
    With ws.Protection
        state(3) = .AllowFormattingCells
        state(4) = .AllowFormattingColumns
        state(5) = .AllowFormattingRows
        state(6) = .AllowInsertingColumns
        state(7) = .AllowInsertingRows
        state(8) = .AllowInsertingHyperlinks
        state(9) = .AllowDeletingColumns
        state(10) = .AllowDeletingRows
        state(11) = .AllowSorting
        state(12) = .AllowFiltering
        state(13) = .AllowUsingPivotTables
    End With
    On Error Resume Next
    ws.Unprotect Password:=""  ' a sheet with a password fails here instead of prompting
    PrevalUnprotect = (Err.Number = 0) And Not ws.ProtectContents
End Function

' Protect a sheet again exactly as PrevalUnprotect found it (Protect with no arguments
' would also lock the drawing objects our template leaves free).
Private Sub PrevalProtectAgain(ByVal ws As Worksheet, ByRef state() As Variant)
    If Not state(0) Then Exit Sub
    On Error Resume Next
    ws.Protect DrawingObjects:=state(1), Contents:=True, Scenarios:=state(2), _
        AllowFormattingCells:=state(3), AllowFormattingColumns:=state(4), AllowFormattingRows:=state(5), _
        AllowInsertingColumns:=state(6), AllowInsertingRows:=state(7), AllowInsertingHyperlinks:=state(8), _
        AllowDeletingColumns:=state(9), AllowDeletingRows:=state(10), AllowSorting:=state(11), _
        AllowFiltering:=state(12), AllowUsingPivotTables:=state(13)
End Sub

' A message box in Chinese (see MessageBoxW above); icon: ICON_INFO or ICON_WARNING.
Public Sub PrevalMessage(ByVal text As String, Optional ByVal icon As Long = ICON_INFO)
    Dim caption As String
    caption = PrevalText("title")
#If Mac Then
    MsgBox text, vbOKOnly, caption
#Else
    MessageBoxW Application.Hwnd, StrPtr(text), StrPtr(caption), icon
#End If
End Sub

' The function wizard's help: "Import Functions" would register it, but the wrappers are
' built into the add-in, so it is registered here from the sheet on every load.
Public Sub PrevalRegisterHelp()
    Dim sht As Worksheet, r As Long, n As Long, i As Long
    Dim argHelp() As Variant, macroName As String
    Set sht = ThisWorkbook.Worksheets(CONF_SHEET)
    r = 2
    Do While CStr(sht.Cells(r, HELP_COL).Value) <> ""
        macroName = "'" & ThisWorkbook.Name & "'!" & CStr(sht.Cells(r, HELP_COL).Value)
        n = CLng(sht.Cells(r, HELP_COL + 3).Value)
        If n > 0 Then
            ReDim argHelp(0 To n - 1)
            For i = 0 To n - 1
                argHelp(i) = CStr(sht.Cells(r, HELP_COL + 4 + i).Value)
            Next i
            Application.MacroOptions Macro:=macroName, Description:=CStr(sht.Cells(r, HELP_COL + 1).Value), _
                Category:=CStr(sht.Cells(r, HELP_COL + 2).Value), ArgumentDescriptions:=argHelp
        Else
            Application.MacroOptions Macro:=macroName, Description:=CStr(sht.Cells(r, HELP_COL + 1).Value), _
                Category:=CStr(sht.Cells(r, HELP_COL + 2).Value)
        End If
        r = r + 1
    Loop
End Sub

' The text stored under key in the add-in's sheet; the key itself if it is missing.
' Note: its error handler clears Err, so a caller copies Err.Description first.
Public Function PrevalText(ByVal key As String) As String
    Dim sht As Worksheet, r As Long
    On Error GoTo missing
    Set sht = ThisWorkbook.Worksheets(CONF_SHEET)
    r = 2
    Do While CStr(sht.Cells(r, TEXT_COL).Value) <> ""
        If CStr(sht.Cells(r, TEXT_COL).Value) = key Then
            PrevalText = CStr(sht.Cells(r, TEXT_COL + 1).Value)
            Exit Function
        End If
        r = r + 1
    Loop
missing:
    PrevalText = key
End Function
