<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="242"/>
        <source>About ktvdesk</source>
        <translation>关于 ktvdesk</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="250"/>
        <source>A desktop karaoke (KTV) player.</source>
        <translation>桌面 KTV 点歌播放器。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="252"/>
        <source>ktvdesk is free software: GNU General Public License, version 3 or later.</source>
        <translation>ktvdesk 是自由软件：GNU 通用公共许可证第 3 版或更新版本。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="260"/>
        <source>Playback: {status}</source>
        <translation>播放：{status}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="277"/>
        <source>Parts of ktvdesk and their licences:</source>
        <translation>ktvdesk 的组成部分及其许可证：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="298"/>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="298"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="298"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="298"/>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="73"/>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="149"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="536"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="699"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="257"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="322"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="80"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="706"/>
        <source>Not ready yet. Try again in a moment.</source>
        <translation>尚未就绪，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="100"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="200"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="100"/>
        <source>Choose a category.</source>
        <translation>请选择一个分类。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="107"/>
        <source>Has pitch line</source>
        <translation>有音准线</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="138"/>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="281"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="113"/>
        <source>This catalog is not available.</source>
        <translation>这个曲库不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="155"/>
        <source>This catalog has no categories.</source>
        <translation>这个曲库没有分类。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="182"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="55"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="199"/>
        <source>Singers</source>
        <translation>歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="182"/>
        <source>Choose a singer.</source>
        <translation>请选择一位歌手。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="207"/>
        <source>The local library is not available.</source>
        <translation>本地曲库不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="224"/>
        <source>No singers under this letter.</source>
        <translation>这个字母下没有歌手。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="247"/>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="258"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="584"/>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="247"/>
        <source>Choose a playlist.</source>
        <translation>请选择一个歌单。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="254"/>
        <source>Find playlists or albums by name</source>
        <translation>按名称查找歌单或专辑</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="259"/>
        <source>Albums</source>
        <translation>专辑</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="278"/>
        <source>Featured playlists</source>
        <translation>精选歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="326"/>
        <source>No playlists found.</source>
        <translation>没有找到歌单。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="328"/>
        <source>This catalog has no playlists. Your own playlists are in the My playlists tab.</source>
        <translation>这个曲库没有歌单。您自己的歌单在“我的歌单”标签页。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="114"/>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="159"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="144"/>
        <source>About ktvdesk…</source>
        <translation>关于 ktvdesk…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="146"/>
        <source>Version and licences (F1)</source>
        <translation>版本与许可证（F1）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="561"/>
        <source>Language: {0}</source>
        <translation>语言：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="304"/>
        <source>Playback: {0}</source>
        <translation>播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/lyric_view.py" line="254"/>
        <source>No lyrics for this song — enjoy the music!</source>
        <translation>这首歌没有歌词，请欣赏音乐！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="168"/>
        <source>Playback is off: libVLC was not found. Install VLC (Debian/Ubuntu: sudo apt install vlc) and restart.</source>
        <translation>播放功能已关闭：未找到 libVLC。请安装 VLC（Debian/Ubuntu：sudo apt install vlc）后重新启动。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="171"/>
        <source>Configuration problem: {0}</source>
        <translation>配置问题：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="185"/>
        <source>Song catalog</source>
        <translation>曲库</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="209"/>
        <source>Phone remote…</source>
        <translation>手机点歌…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="237"/>
        <source>Not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="240"/>
        <source>Missing:</source>
        <translation>缺少：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="242"/>
        <source>Set them on the Settings page.</source>
        <translation>请在“设置”页面填写。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="253"/>
        <source>Catalog playlists</source>
        <translation>曲库歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="254"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="337"/>
        <source>My playlists</source>
        <translation>我的歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="353"/>
        <source>No chorus clip in “{0}”: playing the whole song.</source>
        <translation>《{0}》没有副歌片段：播放整首歌。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="386"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="518"/>
        <source>Add to playlist</source>
        <translation>加入歌单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/main_window.py" line="401"/>
        <source>%n song(s) were in the queue when ktvdesk last closed.</source>
        <translation>
            <numerusform>上次关闭 ktvdesk 时已点列表中有 %n 首歌。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="403"/>
        <source>Playing then: {0}</source>
        <translation>当时正在播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="406"/>
        <location filename="../../ktvdesk/ui/main_window.py" line="407"/>
        <source>Continue where we left off?</source>
        <translation>从上次中断的地方继续吗？</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="410"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="411"/>
        <source>Start fresh</source>
        <translation>重新开始</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/main_window.py" line="424"/>
        <source>%n song(s) back in the queue.</source>
        <translation>
            <numerusform>已恢复 %n 首歌到已点列表。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="43"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="170"/>
        <source>Favorites</source>
        <translation>我的收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="43"/>
        <source>No favorites yet.</source>
        <translation>还没有收藏。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="44"/>
        <source>Most played in the library</source>
        <translation>曲库热门歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="44"/>
        <source>The library is empty.</source>
        <translation>曲库是空的。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="171"/>
        <source>No favorites yet. Right-click a song and choose Add to favorites.</source>
        <translation>还没有收藏。右键点击歌曲，选择“收藏”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="215"/>
        <source>History</source>
        <translation>已唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="42"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="216"/>
        <source>Songs you sing appear here.</source>
        <translation>您唱过的歌会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="221"/>
        <source>Recent plays</source>
        <translation>最近播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="222"/>
        <source>Most sung</source>
        <translation>最常唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/discover.py" line="42"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="223"/>
        <source>Recently sung</source>
        <translation>最近唱过</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="328"/>
        <source>Remove from this playlist</source>
        <translation>从这个歌单移除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="343"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="344"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="345"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="346"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="131"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="347"/>
        <source>Queue all</source>
        <translation>全部点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="348"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="349"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="391"/>
        <source>Your playlists are not available: the song database could not be opened.</source>
        <translation>无法使用您的歌单：歌曲数据库打不开。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="416"/>
        <source>No playlists yet. Press New… to make one.</source>
        <translation>还没有歌单。点“新建…”创建一个。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/user_pages.py" line="544"/>
        <source>%n playlist(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 个歌单。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/user_pages.py" line="570"/>
        <source>%n song(s) are not local files and were left out (export as JSON to keep them).</source>
        <translation>
            <numerusform>%n 首歌不是本地文件，未导出（导出为 JSON 可保留它们）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="575"/>
        <source>Exported to {0}</source>
        <translation>已导出到 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="582"/>
        <source>Import playlists</source>
        <translation>导入歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="590"/>
        <source>Export playlist</source>
        <translation>导出歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="610"/>
        <source>Rename playlist</source>
        <translation>重命名歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="610"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="622"/>
        <source>Delete playlist</source>
        <translation>删除歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="623"/>
        <source>Delete “{0}”? Its songs stay in the catalog.</source>
        <translation>删除“{0}”吗？其中的歌曲仍保留在曲库中。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="358"/>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="269"/>
        <source>Playback is off.</source>
        <translation>播放功能已关闭。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="364"/>
        <source>Pick a song and press 点歌 — the lyrics appear here.</source>
        <translation>选一首歌并点歌，歌词会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="380"/>
        <source>Song details</source>
        <translation>歌曲详情</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="76"/>
        <source>Drag to seek</source>
        <translation>拖动以跳转</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="93"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="279"/>
        <source>Nothing playing</source>
        <translation>没有正在播放的歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="99"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="232"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="248"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="402"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="101"/>
        <source>Play / pause (Space)</source>
        <translation>播放/暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="102"/>
        <source>Next</source>
        <translation>切歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="103"/>
        <source>切歌: next song (N)</source>
        <translation>切歌：下一首（N）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="104"/>
        <source>Restart</source>
        <translation>重唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="105"/>
        <source>重唱: sing it again from the top (R)</source>
        <translation>重唱：从头再唱一遍（R）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="106"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="289"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="403"/>
        <source>Original</source>
        <translation>原唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="108"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="301"/>
        <source>原唱/伴唱: original vocal or accompaniment (V)</source>
        <translation>原唱/伴唱切换（V）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="113"/>
        <source>Key down a semitone (−)</source>
        <translation>降半音（−）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="116"/>
        <source>Key up a semitone (+)</source>
        <translation>升半音（+）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="117"/>
        <source>Slower</source>
        <translation>减慢</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="120"/>
        <source>Faster</source>
        <translation>加快</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="131"/>
        <source>Clips</source>
        <translation>片段</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="132"/>
        <source>Play only the chorus clip of each song</source>
        <translation>每首歌只播放副歌片段</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="135"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="296"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="138"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="299"/>
        <source>Scoring is not set up</source>
        <translation>评分未设置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="140"/>
        <source>Lyrics later (calibration)</source>
        <translation>歌词延后（校准）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="143"/>
        <source>Lyrics earlier (calibration)</source>
        <translation>歌词提前（校准）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="154"/>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="232"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="248"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="286"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="402"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="159"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="253"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="261"/>
        <source>Key {0}</source>
        <translation>音调 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="161"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="255"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="263"/>
        <source>Lyrics {0} ms</source>
        <translation>歌词 {0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="233"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="258"/>
        <source>原唱 Original</source>
        <translation>原唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="233"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="258"/>
        <source>伴唱 Backing</source>
        <translation>伴唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="286"/>
        <source>Preview: </source>
        <translation>试听：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="220"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="202"/>
        <source>Queue</source>
        <translation>已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="232"/>
        <source>The queue is empty. Find a song and press 点歌 to add it.</source>
        <translation>已点列表是空的。找一首歌，按“点歌”加入。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="237"/>
        <source>Top</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="238"/>
        <source>优先: sing the selected song next (Ctrl+T)</source>
        <translation>优先：下一首唱选中的歌（Ctrl+T）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="239"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="165"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="403"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="240"/>
        <source>Remove the selected song (Delete)</source>
        <translation>删除选中的歌曲（Delete）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="241"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="133"/>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="77"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="274"/>
        <source>Preview</source>
        <translation>试听</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="274"/>
        <source>Now singing</source>
        <translation>正在演唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="117"/>
        <source>next</source>
        <translation>下一首</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="117"/>
        <source>in {0}</source>
        <translation>{0} 后</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="36"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="41"/>
        <source>Title, singer, pinyin or initials (e.g. mlh for 茉莉花)</source>
        <translation>歌名、歌手、拼音或首字母（如 mlh 搜 茉莉花）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="54"/>
        <source>Songs</source>
        <translation>歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="104"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="58"/>
        <source>可播 playable</source>
        <translation>可播</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="105"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="59"/>
        <source>可唱 singable</source>
        <translation>可唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="106"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="60"/>
        <source>Has lyrics</source>
        <translation>有歌词</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="66"/>
        <source>Type to search the catalog.</source>
        <translation>输入文字搜索曲库。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="74"/>
        <source>可播</source>
        <translation>可播</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="76"/>
        <source>可唱</source>
        <translation>可唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="78"/>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="82"/>
        <source>Pitch</source>
        <translation>音高</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="113"/>
        <source>Title</source>
        <translation>歌名</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="114"/>
        <source>Singer</source>
        <translation>歌手</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="115"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="116"/>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="132"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="134"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="460"/>
        <source>Unavailable: {0}</source>
        <translation>无法播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/owner_badge.py" line="64"/>
        <source>Licensed by the copyright owner (ZEGO channel 0)</source>
        <translation>版权方授权（即构 Channel 0）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="364"/>
        <source>Added to the queue: {0}</source>
        <translation>已点歌：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="370"/>
        <source>Plays next: {0}</source>
        <translation>下一首播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="431"/>
        <source>Removed from favorites: {0}</source>
        <translation>已取消收藏：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="429"/>
        <source>Added to favorites: {0}</source>
        <translation>已收藏：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="450"/>
        <source>Looking for the chorus…</source>
        <translation>正在查找副歌…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="502"/>
        <source>Added to “{1}”: {0}</source>
        <translation>已加入“{1}”：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="490"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="602"/>
        <source>New playlist</source>
        <translation>新建歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="80"/>
        <source>Lyrics?</source>
        <translation>有歌词？</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="153"/>
        <source>This catalog does not say whether the song has lyrics until it is played.</source>
        <translation>此曲库在播放前不提供歌曲是否有歌词的信息。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="491"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="602"/>
        <source>Name of the new playlist:</source>
        <translation>新歌单的名称：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="541"/>
        <source>New playlist…</source>
        <translation>新建歌单…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="545"/>
        <source>Singer: {0}</source>
        <translation>歌手：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="547"/>
        <source>Album: {0}</source>
        <translation>专辑：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="548"/>
        <source>Duration: {0}</source>
        <translation>时长：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="549"/>
        <source>Catalog: {0}</source>
        <translation>曲库：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="559"/>
        <source>Genre: {0}</source>
        <translation>曲风：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="567"/>
        <source>Chorus: {0}–{1}</source>
        <translation>副歌：{0}–{1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="575"/>
        <source>点歌 Add to queue</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="576"/>
        <source>优先 Play next</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="579"/>
        <source>Remove from favorites</source>
        <translation>取消收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="579"/>
        <source>Add to favorites</source>
        <translation>收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="582"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="602"/>
        <source>Preview the chorus</source>
        <translation>试听副歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="583"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="602"/>
        <source>Preview the chorus (this song has none)</source>
        <translation>试听副歌（这首歌没有副歌）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="604"/>
        <source>Plays the chorus clip outside the queue</source>
        <translation>在已点列表之外播放副歌片段</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="606"/>
        <source>No chorus clip: the lyrics of this song repeat no section.</source>
        <translation>没有副歌片段：这首歌的歌词没有重复的段落。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/latest.py" line="76"/>
        <source>Something went wrong: {0}</source>
        <translation>出错了：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="716"/>
        <source>No songs found.</source>
        <translation>没有找到歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="718"/>
        <source> — scroll for more</source>
        <translation>，向下滚动查看更多</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/song_list.py" line="719"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="239"/>
        <source>%n song(s)</source>
        <translation>
            <numerusform>%n 首歌</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="34"/>
        <location filename="../../ktvdesk/ui/kiosk/shell.py" line="31"/>
        <source>ktvdesk stage</source>
        <translation>ktvdesk 舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="81"/>
        <location filename="../../ktvdesk/ui/kiosk/shell.py" line="45"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="132"/>
        <source>ktvdesk</source>
        <translation>ktvdesk</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="99"/>
        <source>Next: {0} — {1}</source>
        <translation>下一首：{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="101"/>
        <source>Next song: {0} — {1}</source>
        <translation>下一首：{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/attract.py" line="26"/>
        <source>Touch the screen to pick a song</source>
        <translation>触摸屏幕开始点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/attract.py" line="66"/>
        <source>Sing with us tonight!</source>
        <translation>今晚一起唱！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="91"/>
        <source>Add</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="94"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="399"/>
        <source>Sing next</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="162"/>
        <source>Tap the first letters of the song, e.g. M L H</source>
        <translation>按歌名拼音首字母点歌，例如 M L H</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="175"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="179"/>
        <source>No song matches “{0}”.</source>
        <translation>没有找到“{0}”的歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="208"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="222"/>
        <source>Back to singers</source>
        <translation>返回歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="260"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="325"/>
        <source>No songs.</source>
        <translation>没有歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="344"/>
        <source>Most sung here</source>
        <translation>本包厢热唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="353"/>
        <source>Nothing has been sung here yet. Be the first!</source>
        <translation>这里还没有人唱过歌，来当第一个吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="384"/>
        <source>Now singing: {0} — {1}</source>
        <translation>正在演唱：{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="386"/>
        <source>Nothing is playing.</source>
        <translation>当前没有播放歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="389"/>
        <source>No songs queued. Pick one!</source>
        <translation>还没有已点歌曲，快去点一首吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="57"/>
        <source>Staff only: enter the admin PIN</source>
        <translation>仅限工作人员：请输入管理密码</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="82"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="88"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="122"/>
        <source>Too many wrong PINs. Try again in {0} s.</source>
        <translation>密码错误次数过多，请 {0} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/banner.py" line="29"/>
        <location filename="../../ktvdesk/ui/banner.py" line="30"/>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="136"/>
        <source>No admin PIN is set. Run “ktvdesk kiosk set-pin” on this terminal.</source>
        <translation>尚未设置管理密码。请在本机运行“ktvdesk kiosk set-pin”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="138"/>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="151"/>
        <source>Admin</source>
        <translation>管理</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="160"/>
        <source>Stage on/off</source>
        <translation>打开/关闭舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="161"/>
        <source>Clear the queue</source>
        <translation>清空已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="162"/>
        <source>Lock again</source>
        <translation>重新锁定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="163"/>
        <source>Exit kiosk mode</source>
        <translation>退出包厢模式</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="198"/>
        <source>Pick songs</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="201"/>
        <source>Charts</source>
        <translation>排行</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="287"/>
        <source>Next song</source>
        <translation>切歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="288"/>
        <source>Sing again</source>
        <translation>重唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="290"/>
        <source>Key −</source>
        <translation>降调</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="291"/>
        <source>Key +</source>
        <translation>升调</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="292"/>
        <source>Vol −</source>
        <translation>音量−</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="293"/>
        <source>Vol +</source>
        <translation>音量+</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="294"/>
        <source>Stage</source>
        <translation>舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="360"/>
        <source>“{0}” will be sung next.</source>
        <translation>“{0}”已设为下一首。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="363"/>
        <source>“{0}” added to the queue.</source>
        <translation>已点“{0}”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="388"/>
        <source>Queue ({0})</source>
        <translation>已点（{0}）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="396"/>
        <source>Playback is not available.</source>
        <translation>播放功能不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="400"/>
        <source>Pick a song to start!</source>
        <translation>点一首歌开始吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="403"/>
        <source>Backing</source>
        <translation>伴唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="404"/>
        <source>Key {0:+d} · Vol {1}</source>
        <translation>音调 {0:+d} · 音量 {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="512"/>
        <source>Room (Yinsuda RoomId): {0}</source>
        <translation>包厢（音速达 RoomId）：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="513"/>
        <source>Room (ZEGO RoomId): {0}</source>
        <translation>包厢（ZEGO RoomId）：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="514"/>
        <source>Volume limit: {0}</source>
        <translation>音量上限：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="515"/>
        <source>Catalogs: {0}</source>
        <translation>曲库：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="516"/>
        <source>Attract mode after {0} min idle</source>
        <translation>空闲 {0} 分钟后进入待机展示</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="517"/>
        <source>Admin re-locks after {0} s</source>
        <translation>管理模式 {0} 秒无操作后自动锁定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="518"/>
        <source>Change these in {0} and restart.</source>
        <translation>请在 {0} 中修改后重启。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/i18n.py" line="68"/>
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n 字</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_badge.py" line="40"/>
        <source>Scan to queue songs</source>
        <translation>扫码点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="38"/>
        <source>Phone remote</source>
        <translation>手机点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="51"/>
        <source>The phone remote is off. Start ktvdesk with --remote, or set enabled = true under [remote] in the settings file.</source>
        <translation>手机点歌未开启。请用 --remote 启动 ktvdesk，或在设置文件的 [remote] 下设置 enabled = true。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="59"/>
        <source>Start the phone remote again</source>
        <translation>重新启动手机点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="67"/>
        <source>Fair turns among singers (otherwise first come, first sung)</source>
        <translation>歌手轮流演唱（否则按点歌先后）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="69"/>
        <source>Guests may put their own songs first (优先)</source>
        <translation>允许客人优先自己的歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="71"/>
        <source>Guests may skip the song (切歌)</source>
        <translation>允许客人切歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="73"/>
        <source>Guests may restart the song (重唱)</source>
        <translation>允许客人重唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="75"/>
        <source>Guests may play cheers (气氛)</source>
        <translation>允许客人播放气氛音效</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="81"/>
        <location filename="../../ktvdesk/ui/remote_kiosk.py" line="60"/>
        <source>New guests (new QR code)</source>
        <translation>新客人（新二维码）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="82"/>
        <source>Every phone signed in so far is refused; guests scan the new code.</source>
        <translation>之前登录的手机都将失效；客人需扫描新的二维码。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="84"/>
        <location filename="../../ktvdesk/ui/toast.py" line="41"/>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="146"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="97"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="103"/>
        <source>The phone remote stopped ({0}). Phones cannot reach the room.</source>
        <translation>手机点歌已停止（{0}），手机暂时无法连接包厢。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_dialog.py" line="116"/>
        <source>Phones connected: {0}</source>
        <translation>已连接的手机：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="98"/>
        <source>Add a song folder</source>
        <translation>添加歌曲文件夹</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="156"/>
        <source>Library folders</source>
        <translation>曲库文件夹</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="163"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="167"/>
        <source>Rescan now</source>
        <translation>立即重新扫描</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="173"/>
        <source>Include the demo songs</source>
        <translation>包含演示歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="186"/>
        <source>Skipped file</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="186"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="194"/>
        <source>Language and lyrics</source>
        <translation>语言与歌词</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="201"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="207"/>
        <source>A positive value shows the lyrics earlier</source>
        <translation>正值让歌词提前显示</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="209"/>
        <source>Lyric calibration</source>
        <translation>歌词校准</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="213"/>
        <source>Audio output</source>
        <translation>音频输出</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="131"/>
        <source>Microphone (scoring)</source>
        <translation>麦克风（评分）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="145"/>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="148"/>
        <source>Player 2&apos;s microphone: duets are scored per part</source>
        <translation>第二位歌手的麦克风：对唱按声部分别评分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="150"/>
        <source>Second microphone (duets)</source>
        <translation>第二支麦克风（对唱）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="155"/>
        <source>Test the microphone</source>
        <translation>测试麦克风</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="158"/>
        <source>Input level</source>
        <translation>输入音量</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="160"/>
        <source>Calibrate latency</source>
        <translation>校准延迟</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="161"/>
        <source>Plays a click and times how long it takes to be heard back</source>
        <translation>播放一声提示音，测量多久能被麦克风听到</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="166"/>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="192"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="224"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="198"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="206"/>
        <source>No microphone found: scoring is off</source>
        <translation>未找到麦克风：评分已关闭</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="224"/>
        <source>Not calibrated</source>
        <translation>未校准</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="224"/>
        <source>{0} ms</source>
        <translation>{0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="280"/>
        <source>Listening for the click…</source>
        <translation>正在聆听提示音…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/mic_settings.py" line="311"/>
        <source>Calibrated: {0} ms</source>
        <translation>已校准：{0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="233"/>
        <source>This audio output offers no choice of device (libVLC&apos;s dummy or file output).</source>
        <translation>当前音频输出不能选择设备（libVLC 的空输出或文件输出）。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="243"/>
        <source>The system&apos;s default output is used from the next start.</source>
        <translation>下次启动起使用系统默认输出。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="260"/>
        <source>kept in the system keyring; leave empty to keep it</source>
        <translation>保存在系统钥匙串中；留空则保持不变</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="263"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="279"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="270"/>
        <source>Kiosk (KTV room terminal)</source>
        <translation>包厢模式（KTV 包厢终端）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="290"/>
        <source>Saved to {0}</source>
        <translation>保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="324"/>
        <source>Last scan: {0} added, {1} updated, {2} unchanged, {3} removed, {4} skipped.</source>
        <translation>上次扫描：新增 {0}，更新 {1}，未变 {2}，移除 {3}，跳过 {4}。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="359"/>
        <source>Already a library folder: {0}</source>
        <translation>已经是曲库文件夹：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="368"/>
        <source>Choose a folder in the list first.</source>
        <translation>请先在列表中选择一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="386"/>
        <source>Scanning the library folders…</source>
        <translation>正在扫描曲库文件夹…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="399"/>
        <source>Library scanned.</source>
        <translation>曲库扫描完成。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="433"/>
        <source>Saved, but there is no keyring here: set {0} in the environment instead.</source>
        <translation>已保存，但本机没有系统钥匙串：请改为设置环境变量 {0}。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="441"/>
        <source>Saved. The catalog uses the new settings at the next start.</source>
        <translation>已保存。曲库在下次启动时使用新设置。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="446"/>
        <source>Saved. The kiosk uses the new settings at its next start.</source>
        <translation>已保存。包厢模式在下次启动时使用新设置。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="48"/>
        <source>QQ Music account…</source>
        <translation>QQ音乐账号…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="54"/>
        <source>Yinsuda membership…</source>
        <translation>音速达会员…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="141"/>
        <source>Yinsuda membership</source>
        <translation>音速达会员</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="182"/>
        <source>Monthly member until {0}</source>
        <translation>包月会员，有效期至 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="184"/>
        <source>Monthly membership ended on {0}</source>
        <translation>包月会员已于 {0} 到期</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="186"/>
        <source>Not a monthly member</source>
        <translation>不是包月会员</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="189"/>
        <source>Live-streaming member until {0}</source>
        <translation>直播会员，有效期至 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="191"/>
        <source>Live-streaming membership ended on {0}</source>
        <translation>直播会员已于 {0} 到期</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="193"/>
        <source>Not a live-streaming member</source>
        <translation>不是直播会员</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_kiosk.py" line="24"/>
        <source>Applause</source>
        <translation>鼓掌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_kiosk.py" line="24"/>
        <source>Cheer</source>
        <translation>欢呼</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_kiosk.py" line="24"/>
        <source>Laugh</source>
        <translation>大笑</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/remote_kiosk.py" line="24"/>
        <source>Whistle</source>
        <translation>口哨</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="107"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="260"/>
        <source>QQ Music login</source>
        <translation>QQ音乐登录</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="123"/>
        <source>Scan with:</source>
        <translation>扫码应用：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="144"/>
        <source>Show QR code</source>
        <translation>显示二维码</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="145"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="171"/>
        <source>Scan the code with the app and confirm the login.</source>
        <translation>请用该应用扫描二维码并确认登录。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="189"/>
        <source>Logged out.</source>
        <translation>已退出登录。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="226"/>
        <source>Logged in.</source>
        <translation>已登录。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="256"/>
        <source>The code expires in {0}:{1:02d}</source>
        <translation>二维码将在 {0}:{1:02d} 后过期</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="266"/>
        <source>Account: {0}</source>
        <translation>账号：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="269"/>
        <source>Green diamond member until {0}</source>
        <translation>绿钻会员，有效期至 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="271"/>
        <source>Not a QQ Music member</source>
        <translation>不是QQ音乐会员</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="277"/>
        <source>Login valid until {0}</source>
        <translation>登录有效期至 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/vocal_rights.py" line="21"/>
        <source>No original vocal: the copyright owner grants no recording right for this song (ZEGO Recording = 0), so only the accompaniment may be played.</source>
        <translation>没有原唱：版权方未授予这首歌的录音版权（ZEGO Recording = 0），只能播放伴奏。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/vocal_rights.py" line="25"/>
        <source>No original vocal: a Yinsuda song is its accompaniment segment.</source>
        <translation>没有原唱：音速达歌曲是伴奏片段。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/vocal_rights.py" line="26"/>
        <source>No original vocal: this song has only the accompaniment.</source>
        <translation>没有原唱：这首歌只有伴奏。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="72"/>
        <source>精选</source>
        <translation>精选</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="563"/>
        <source>Tempo: {0} BPM</source>
        <translation>速度：{0} BPM</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/xiaowei_login.py" line="275"/>
        <source>Authorised session valid until {0}</source>
        <translation>本次授权有效期至 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/pitch_lane.py" line="41"/>
        <source>Perfect</source>
        <translation>完美</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/pitch_lane.py" line="42"/>
        <source>Great</source>
        <translation>很棒</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/pitch_lane.py" line="43"/>
        <source>Good</source>
        <translation>不错</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/pitch_lane.py" line="44"/>
        <source>Miss</source>
        <translation>未唱中</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="59"/>
        <source>New best for this song!</source>
        <translation>刷新本曲最高分！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="60"/>
        <source>Best for this song: {0:.1f}</source>
        <translation>本曲最高分：{0:.1f}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="74"/>
        <source>Player 1: {0:.1f} · Player 2: {1:.1f}</source>
        <translation>歌手 1：{0:.1f} · 歌手 2：{1:.1f}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="75"/>
        <source>Score {0:.1f}</source>
        <translation>得分 {0:.1f}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="27"/>
        <source>Player {0}: new best!</source>
        <translation>歌手 {0}：刷新最高分！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/score_screen.py" line="28"/>
        <source>Player {0}: best {1:.1f}</source>
        <translation>歌手 {0}：最高分 {1:.1f}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/singing_ui.py" line="131"/>
        <source>Microphone disconnected: scoring paused</source>
        <translation>麦克风已断开：评分暂停</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/singing_ui.py" line="141"/>
        <source>Duet with one microphone: only player 1 is scored</source>
        <translation>对唱只有一支麦克风：仅为歌手 1 评分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/singing_ui.py" line="143"/>
        <source>No scoring: {0}</source>
        <translation>不评分：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/singing_ui.py" line="145"/>
        <source>No score for this song: {0}</source>
        <translation>这首歌无法评分：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/singing_ui.py" line="147"/>
        <source>Score my singing (评分)</source>
        <translation>为我的演唱评分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="28"/>
        <source>Room closed — please ask the front desk</source>
        <translation>包厢已关闭——请联系前台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="32"/>
        <source>Time left: {0} h {1:02d} min</source>
        <translation>剩余时间：{0} 小时 {1:02d} 分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="33"/>
        <source>Time left: {0}:{1:02d}</source>
        <translation>剩余时间：{0}:{1:02d}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="51"/>
        <source>From the front desk: {0}</source>
        <translation>前台消息：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="53"/>
        <source>10 minutes left in this room.</source>
        <translation>本包厢还剩 10 分钟。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/venue_room.py" line="55"/>
        <source>Time is up: thank you for singing with us!</source>
        <translation>时间到了，感谢您的光临！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/start_window.py" line="45"/>
        <source>Opening your library…</source>
        <translation>正在打开曲库…</translation>
    </message>
</context>
<context>
    <name>QCoreApplication</name>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="51"/>
        <source>user interface</source>
        <translation>用户界面</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="58"/>
        <source>Python bindings for Qt</source>
        <translation>Qt 的 Python 绑定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="65"/>
        <source>audio and video playback</source>
        <translation>音视频播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="71"/>
        <source>libVLC binding</source>
        <translation>libVLC 绑定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="78"/>
        <source>cloud catalog requests</source>
        <translation>云曲库请求</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="85"/>
        <source>data models</source>
        <translation>数据模型</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="92"/>
        <source>asyncio inside Qt</source>
        <translation>在 Qt 中运行 asyncio</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="99"/>
        <source>pinyin search</source>
        <translation>拼音搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="106"/>
        <source>audio tags</source>
        <translation>音频标签</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="113"/>
        <source>traditional/simplified Chinese</source>
        <translation>繁简中文转换</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="120"/>
        <source>settings and data folders</source>
        <translation>设置和数据文件夹</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="127"/>
        <source>secrets in the system keyring</source>
        <translation>系统钥匙串中的密钥</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="134"/>
        <source>web servers: phone remote, venue, cloud emulator</source>
        <translation>Web 服务：手机点歌、场所服务器、云曲库模拟器</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="141"/>
        <source>HTTP server</source>
        <translation>HTTP 服务器</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="148"/>
        <source>live updates to phones</source>
        <translation>向手机实时推送</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="155"/>
        <source>QR codes</source>
        <translation>二维码</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="162"/>
        <source>pitch detection</source>
        <translation>音高检测</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="169"/>
        <source>decoding vocal tracks for scoring</source>
        <translation>解码原唱音轨用于评分</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="176"/>
        <source>microphone input</source>
        <translation>麦克风输入</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="183"/>
        <source>writing the settings file</source>
        <translation>写入设置文件</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="190"/>
        <source>venue server database (PostgreSQL)</source>
        <translation>场所服务器数据库（PostgreSQL）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="197"/>
        <source>venue server database connections</source>
        <translation>场所服务器数据库连接</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="204"/>
        <source>venue message bus (MQTT)</source>
        <translation>场所消息总线（MQTT）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="209"/>
        <source>runtime</source>
        <translation>运行时</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="214"/>
        <source>Chinese, Japanese and Korean text (when installed)</source>
        <translation>中日韩文字（已安装时）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="218"/>
        <source>Demo songs</source>
        <translation>演示歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="219"/>
        <source>public domain</source>
        <translation>公有领域</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="220"/>
        <source>traditional melodies and lyrics; our own arrangements and lyric timing</source>
        <translation>传统旋律和歌词；编曲和歌词时间轴为本项目自制</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="56"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="57"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="58"/>
        <source>Singers</source>
        <translation>歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="59"/>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="60"/>
        <source>Favorites</source>
        <translation>我的收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="61"/>
        <source>History</source>
        <translation>已唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="62"/>
        <source>Queue</source>
        <translation>已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="63"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="67"/>
        <source>Local library</source>
        <translation>本地曲库</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="68"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="77"/>
        <source>Yinsuda 音速达</source>
        <translation>音速达</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="69"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="78"/>
        <source>Xiaowei QQ Music</source>
        <translation>小微 QQ 音乐</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="70"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="79"/>
        <source>ZEGO KTV</source>
        <translation>即构 KTV</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="51"/>
        <source>Singers A–Z</source>
        <translation>歌手 A–Z</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="52"/>
        <source>Genre</source>
        <translation>曲风</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="53"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="54"/>
        <source>Title length</source>
        <translation>歌名字数</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="55"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="74"/>
        <source>audio filters available</source>
        <translation>音效处理可用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="75"/>
        <source>audio filters unavailable</source>
        <translation>音效处理不可用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="76"/>
        <source>audio filters off</source>
        <translation>音效处理已关闭</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/i18n.py" line="77"/>
        <source>libVLC is not available</source>
        <translation>libVLC 不可用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="53"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="61"/>
        <source>Endpoint</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="54"/>
        <source>App name</source>
        <translation>应用名称</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="55"/>
        <location filename="../../ktvdesk/ui/settings_page.py" line="71"/>
        <source>User id</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="62"/>
        <source>Device id</source>
        <translation>设备 ID</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="63"/>
        <source>Product id</source>
        <translation>产品 ID</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="69"/>
        <source>Resource endpoint</source>
        <translation>资源服务地址</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="70"/>
        <source>App id</source>
        <translation>App ID</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="82"/>
        <source>Maximum volume</source>
        <translation>最大音量</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="83"/>
        <source>Attract screen after (min)</source>
        <translation>待机画面出现时间（分钟）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/settings_page.py" line="84"/>
        <source>Admin relock after (s)</source>
        <translation>管理员模式自动锁定（秒）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/cloud_accounts.py" line="30"/>
        <source>Yinsuda songs play their accompaniment segment (the part from SegmentBegin to SegmentEnd, about half a minute, made for 抢唱); the whole song needs Tencent&apos;s native SDK with a PlayToken.</source>
        <translation>音速达歌曲在 ktvdesk 中播放的是伴奏片段（SegmentBegin 到 SegmentEnd 之间的一段，约半分钟，供抢唱使用）；整首歌需要腾讯的原生 SDK 和 PlayToken。</translation>
    </message>
</context>
</TS>
